-- One row per note: open or closed now, from its latest opened/closed/reopened action.
CREATE TABLE dwh.note_current_status (
  id_note                  integer   NOT NULL PRIMARY KEY,
  dimension_id_country     integer   NOT NULL,
  opened_dimension_id_user integer,
  opened_dimension_id_date integer,
  is_currently_open        boolean   NOT NULL,
  last_action_at           timestamp NOT NULL,
  last_action_type         public.note_event_enum NOT NULL,
  last_updated             timestamp DEFAULT (now() AT TIME ZONE 'UTC')
);
-- Country datamart (active_notes_count), v_currently_open_notes_by_country, API backlog.
CREATE INDEX note_current_status_country_open ON dwh.note_current_status (dimension_id_country)
  WHERE is_currently_open;
-- User datamart (active_notes_count), v_currently_open_notes_by_user.
CREATE INDEX note_current_status_opener_open ON dwh.note_current_status (opened_dimension_id_user)
  WHERE is_currently_open;

CREATE VIEW dwh.v_currently_open_notes_by_country AS
SELECT dimension_id_country, count(*) AS currently_open_count
FROM dwh.note_current_status WHERE is_currently_open
GROUP BY dimension_id_country;

CREATE VIEW dwh.v_currently_open_notes_by_user AS
SELECT opened_dimension_id_user, count(*) AS currently_open_count
FROM dwh.note_current_status WHERE is_currently_open
GROUP BY opened_dimension_id_user;
