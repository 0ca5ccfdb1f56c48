-- Input of the shared families for users: the actions A(U) of every user in scope, keyed by
-- OSM user id (ek) whatever dimension row (username) they were loaded under. rk, the key the
-- user's rankings group by, is the country. Hidden actions count in no metric.
DROP TABLE IF EXISTS dm_dims;
CREATE TEMP TABLE dm_dims AS
SELECT du.dimension_user_id, du.user_id FROM dwh.dimension_users du JOIN dm_scope s ON s.id = du.user_id;
CREATE UNIQUE INDEX ON dm_dims (dimension_user_id);
ANALYZE dm_dims;

DROP TABLE IF EXISTS dm_f CASCADE; -- and the views over it (users/counts.sql)
CREATE TEMP TABLE dm_f AS
SELECT f.user_id AS ek, dc.country_id AS rk, f.fact_id, f.id_note, f.sequence_action AS seq,
       f.action_at AS at, f.action_at::date AS d, f.action_comment::text AS ty, dc.country_id,
       f.action_dimension_id_hour_of_week AS tow, f.dimension_application_creation AS app,
       f.dimension_application_version AS ver, f.days_to_resolution AS dtr,
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men
FROM (
  -- Many users (a full build, the daily pass): one scan of every fact, hashed against the
  -- users. A few users (the active users of a touched build: 1 518 with 12 k facts at 1 M
  -- notes; the passive openers, users/passive_row.sql, their facts since a day): their facts by
  -- the user index instead (OFFSET 0 keeps the lookup per user), 2.4 → 0.4 s; the planner did
  -- not pick it over 15 partitions. Only one branch runs (the condition is evaluated once).
  SELECT f.*, u.user_id FROM dwh.facts f JOIN dm_dims u ON u.dimension_user_id = f.action_dimension_id_user
  WHERE (SELECT count(*) FROM dm_dims) > 20000
  UNION ALL
  SELECT f.*, u.user_id FROM dm_dims u
  CROSS JOIN LATERAL (SELECT * FROM dwh.facts f
                      WHERE f.action_dimension_id_user = u.dimension_user_id AND f.action_at >= (SELECT since FROM dm_p)
                      OFFSET 0) f
  WHERE (SELECT count(*) FROM dm_dims) <= 20000
) f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.action_comment <> 'hidden' AND f.action_at >= (SELECT since FROM dm_p);
ANALYZE dm_f;

-- Notes opened by each user in scope, with their state now (note_current_status); n: notes
-- the row stands for (countries/facts.sql counts them per day). A few users with a few
-- notes (their rows' openings; ≈ 6 000 notes of 2 000 active users after a 2 000-action run at
-- 1 M notes): theirs by the opener index (migration 0040), as for the facts above. Otherwise
-- one scan of the statuses (1 M), as for the openers of touched notes, some of whom opened
-- 100 000 notes (250 000 by index: 0.9 s; scanned: 0.5 s).
DROP TABLE IF EXISTS dm_notes;
CREATE TEMP TABLE dm_notes AS
WITH few AS (
  -- CASE: the rows are not read for a full build.
  SELECT CASE WHEN (SELECT count(*) FROM dm_dims) > 20000 THEN false
              ELSE (SELECT coalesce(sum(t.history_whole_open), 0) FROM dwh.datamartusers t JOIN dm_scope sc ON sc.id = t.user_id) <= 50000
         END AS by_index
)
SELECT u.user_id AS ek, s.id_note, dd.date_id AS opened_d, s.is_currently_open AS is_open, 1 AS n
FROM (
  SELECT s.id_note, s.opened_dimension_id_user, s.opened_dimension_id_date, s.is_currently_open
  FROM dwh.note_current_status s
  WHERE NOT (SELECT by_index FROM few)
  UNION ALL
  SELECT s.* FROM dm_dims u
  CROSS JOIN LATERAL (SELECT s.id_note, s.opened_dimension_id_user, s.opened_dimension_id_date, s.is_currently_open
                      FROM dwh.note_current_status s WHERE s.opened_dimension_id_user = u.dimension_user_id OFFSET 0) s
  WHERE (SELECT by_index FROM few)
) s
JOIN dm_dims u ON u.dimension_user_id = s.opened_dimension_id_user
JOIN dwh.dimension_days dd ON dd.dimension_day_id = s.opened_dimension_id_date;
ANALYZE dm_notes;

-- Labels of the ranking keys: countries (Spanish name, as the original published).
DROP VIEW IF EXISTS dm_rk_label;
CREATE TEMP VIEW dm_rk_label AS
SELECT country_id AS rk, country_name_es AS label,
       -- The order of ties in the rankings (shared/rankings.sql): by label, NULL without one.
       CASE WHEN country_name_es IS NOT NULL THEN row_number() OVER (ORDER BY country_name_es, country_id) END AS ord
FROM dwh.dimension_countries;
