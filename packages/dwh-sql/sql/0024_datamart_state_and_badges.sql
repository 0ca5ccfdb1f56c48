-- State of the datamart builder (@osm-notes/datamarts) and the badge system (datamarts-export §6.1).
--
-- datamart_state: one row per datamart. last_etl_run_id is the watermark of the touched-scope
-- build: the entities recorded in dwh.etl_run_touched by runs above it are rebuilt next time.
-- time_relative_date is the UTC day for which the time-relative columns (today, current month
-- and year, last 30 days, the 371-day activity string, note ages, contributor type) were last
-- computed for every row; the first build of a new day recomputes them for all rows.
CREATE TABLE dwh.datamart_state (
  datamart           varchar(16) NOT NULL PRIMARY KEY CHECK (datamart IN ('users', 'countries', 'global')),
  last_etl_run_id    bigint      NOT NULL DEFAULT 0,
  time_relative_date date,
  last_build_at      timestamp,
  last_build_scope   varchar(8)  CHECK (last_build_scope IN ('touched', 'all')),
  last_build_rows    integer,
  last_build_seconds numeric(10,3)
);
INSERT INTO dwh.datamart_state (datamart) VALUES ('users'), ('countries'), ('global');

-- Badges (48, seeded by name). Awarded per OSM user id; never revoked, date_awarded is the UTC
-- day of the build that first awarded it.
CREATE TABLE dwh.badges (
  badge_id    smallint    NOT NULL PRIMARY KEY,
  badge_name  varchar(64) NOT NULL UNIQUE,
  description text        NOT NULL
);
INSERT INTO dwh.badges VALUES
  (1, 'First Note', 'Opened a first note'),
  (2, '10 Notes Opened', 'Opened 10 notes'),
  (3, '50 Notes Opened', 'Opened 50 notes'),
  (4, '100 Notes Opened', 'Opened 100 notes'),
  (5, '500 Notes Opened', 'Opened 500 notes'),
  (6, '1000 Notes Opened', 'Opened 1000 notes'),
  (7, 'Note Master', 'Opened 5000 notes'),
  (8, 'First Close', 'Closed a first note'),
  (9, '10 Notes Closed', 'Closed 10 notes'),
  (10, '50 Notes Closed', 'Closed 50 notes'),
  (11, '100 Notes Closed', 'Closed 100 notes'),
  (12, '500 Notes Closed', 'Closed 500 notes'),
  (13, '1000 Notes Closed', 'Closed 1000 notes'),
  (14, 'Resolution Legend', 'Closed 5000 notes'),
  (15, 'First Comment', 'Wrote a first comment'),
  (16, '100 Comments', 'Wrote 100 comments'),
  (17, '500 Comments', 'Wrote 500 comments'),
  (18, '1000 Comments', 'Wrote 1000 comments'),
  (19, 'Comment Legend', 'Wrote 5000 comments'),
  (20, 'Problem Solver', 'Closed 10 notes with a closing comment'),
  (21, 'Community Helper', 'Closed 50 notes with a closing comment'),
  (22, 'Resolution Master', 'Closed 100 notes with a closing comment'),
  (23, 'Early Adopter', 'Opened a first note in 2013'),
  (24, 'Long Time Helper', 'First note opened 5 or more years ago'),
  (25, 'Century Club', 'Opened 100 notes this year'),
  (26, 'Resolution Champion', 'Closed 100 notes this year'),
  (27, 'Comment King', 'Wrote 100 comments this year'),
  (28, 'Quality Contributor', 'Average comment length of 50 characters or more'),
  (29, 'Detail Oriented', 'Average comment length of 200 characters or more'),
  (30, 'Collaborative', 'Wrote 20 comments with a mention'),
  (31, 'Resourceful', 'Wrote 20 comments with a link'),
  (32, 'Mobile User', 'Opened 100 notes with mobile applications'),
  (33, 'Desktop Power User', 'Opened 100 notes with desktop applications'),
  (34, 'Hashtag Enthusiast', 'Used hashtags in 50 actions'),
  (35, 'All Around Helper', 'Opened, closed and commented 1000 times each'),
  (36, 'Global Resolver', 'Closed notes in 5 or more countries'),
  (37, 'First Responder', 'Wrote the first comment on 25 notes'),
  (38, 'Solid Closer', 'Closed 50 notes that were not reopened afterwards'),
  (39, 'Rising Resolver', 'Closed 10 or more notes this year, more than last year'),
  (40, 'Local Hero', 'Closed 50 notes, 80 % or more of them in one country'),
  (41, 'Closing Streak', 'Closed notes on 7 consecutive days'),
  (42, 'Daily Contributor', 'Not awarded yet'),
  (43, 'Weekly Contributor', 'Not awarded yet'),
  (44, 'Monthly Contributor', 'Not awarded yet'),
  (45, 'Consistent Helper', 'Not awarded yet'),
  (46, 'Speed Demon', 'Not awarded yet'),
  (47, 'Perfect Week', 'Not awarded yet'),
  (48, 'Perfect Month', 'Not awarded yet');

CREATE TABLE dwh.badges_per_users (
  user_id      integer  NOT NULL REFERENCES dwh.datamartusers (user_id) ON DELETE CASCADE,
  badge_id     smallint NOT NULL REFERENCES dwh.badges,
  date_awarded date     NOT NULL,
  comment      text,
  CONSTRAINT badges_per_users_pkey PRIMARY KEY (user_id, badge_id)
);
