-- Experience levels (datamarts-export §6.4) and OSM users as a type-2 slowly changing dimension.
CREATE TABLE dwh.dimension_experience_levels (
  dimension_experience_id smallint    NOT NULL PRIMARY KEY,
  experience_level        varchar(32) NOT NULL UNIQUE,
  min_notes_opened        integer     NOT NULL,
  min_notes_closed        integer     NOT NULL,
  min_days_active         integer     NOT NULL,
  level_order             smallint    NOT NULL UNIQUE,
  description             text
);
INSERT INTO dwh.dimension_experience_levels VALUES
  (1, 'newcomer',     0,    0,   0, 1, 'No or almost no activity yet'),
  (2, 'beginner',     1,    0,   1, 2, 'Has opened a first note'),
  (3, 'intermediate', 11,   5,  30, 3, 'Regular contributor'),
  (4, 'advanced',     51,  25,  90, 4, 'Experienced contributor'),
  (5, 'expert',       201, 100, 180, 5, 'Very experienced contributor'),
  (6, 'master',       500, 300, 365, 6, 'Long-term, high-volume contributor'),
  (7, 'legend',       1000, 600, 730, 7, 'Among the most active note contributors');

CREATE TABLE dwh.dimension_users (
  dimension_user_id        serial       PRIMARY KEY,
  user_id                  integer      NOT NULL,
  username                 varchar(256),
  modified                 boolean      NOT NULL DEFAULT true,
  valid_from               timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  valid_to                 timestamp,
  is_current               boolean      NOT NULL DEFAULT true,
  experience_level_id      smallint     REFERENCES dwh.dimension_experience_levels,
  total_notes_opened       integer,
  total_notes_closed       integer,
  days_active              integer,
  resolution_ratio         numeric(5,2),
  last_activity_date       date,
  experience_calculated_at timestamp
);
-- ETL SCD2 refresh and fact loading: the current row of an OSM user; also enforces one.
CREATE UNIQUE INDEX dimension_users_current_user_id ON dwh.dimension_users (user_id) WHERE is_current;
-- Datamarts (keyed by OSM user id) gather every dimension row of a user after renames.
CREATE INDEX dimension_users_user_id ON dwh.dimension_users (user_id);
-- API and `profile user <name>` look users up by name. Deliberately NOT unique: OSM frees a
-- name on rename and another account can take it (the original's unique index broke inserts).
CREATE INDEX dimension_users_username ON dwh.dimension_users (username);

-- Anonymous actions (id_user NULL) map to this row.
INSERT INTO dwh.dimension_users (user_id, username, modified, valid_from, is_current)
VALUES (-1, 'Anonymous', false, timestamp '2013-01-01', true);

CREATE TABLE dwh.dimension_automation_level (
  dimension_automation_id smallint     NOT NULL PRIMARY KEY,
  automation_level        varchar(32)  NOT NULL UNIQUE,
  confidence_score        numeric(3,2) NOT NULL,
  description             text,
  detection_criteria      jsonb,
  created_at              timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
INSERT INTO dwh.dimension_automation_level
  (dimension_automation_id, automation_level, confidence_score, description, detection_criteria) VALUES
  (1, 'human',              0.90, 'Activity consistent with a person', '{"score_below": 0.20}'),
  (2, 'probably_human',     0.70, 'Mostly human patterns',             '{"score_at_least": 0.20}'),
  (3, 'uncertain',          0.50, 'Mixed signals',                     '{"score_at_least": 0.40}'),
  (4, 'probably_automated', 0.70, 'Mostly automated patterns',         '{"score_at_least": 0.60}'),
  (5, 'automated',          0.90, 'Automated tool or bot',             '{"score_at_least": 0.80}'),
  (6, 'bulk_import',        0.95, 'Bulk import of notes',              '{"manual": true}');
