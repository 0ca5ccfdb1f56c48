-- Input of the shared families for users: the actions A(U) of every user in scope, keyed by
-- OSM user id (ek) whatever dimension row (username) they were loaded under. rk, the key the
-- user's rankings group by, is the country. Hidden actions count in no metric.
-- Their dimension rows: many users, hashed from all rows; a few, by the user index (OFFSET 0
-- keeps the lookup per user: the planner hashed all 235 000 rows for 2 000 users, 0.07 s).
-- Only one branch runs (the condition is evaluated once).
DROP TABLE IF EXISTS dm_dims;
CREATE TEMP TABLE dm_dims AS
SELECT du.dimension_user_id, du.user_id FROM dwh.dimension_users du JOIN dm_scope s ON s.id = du.user_id
WHERE (SELECT count(*) FROM dm_scope) > 20000
UNION ALL
SELECT du.dimension_user_id, du.user_id FROM dm_scope s
CROSS JOIN LATERAL (SELECT du.dimension_user_id, du.user_id FROM dwh.dimension_users du WHERE du.user_id = s.id OFFSET 0) du
WHERE (SELECT count(*) FROM dm_scope) <= 20000;
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
  -- users. A few users (the active users of a touched build: 2 062 with 21 k facts at 1 M
  -- notes; the passive openers, users/passive_row.sql, their facts since a day): their facts by
  -- the user index, all their ids in one array per partition (one bitmap scan each), not one
  -- probe per user and partition (31 000 probes: 0.19–0.23 s, the array 0.09 s; a scan of
  -- every fact 2.4 s). Only one branch runs (the condition is evaluated once).
  SELECT f.*, u.user_id FROM dwh.facts f JOIN dm_dims u ON u.dimension_user_id = f.action_dimension_id_user
  WHERE (SELECT count(*) FROM dm_dims) > 20000
  UNION ALL
  SELECT f.*, u.user_id FROM dwh.facts f JOIN dm_dims u ON u.dimension_user_id = f.action_dimension_id_user
  WHERE (SELECT count(*) FROM dm_dims) <= 20000
    AND f.action_dimension_id_user = ANY ((SELECT array_agg(dimension_user_id) FROM dm_dims)::integer[])
) f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.action_comment <> 'hidden' AND f.action_at >= (SELECT since FROM dm_p);
ANALYZE dm_f;

-- Notes opened by each user in scope, with their state now (note_current_status), counted (n):
-- the open ones of the last 90 days per day of opening (shared/recent.sql: their ages; older
-- ones are all in the 90+ bucket), the others per month, opened_d being the month's first day
-- (only the year and month of their opening are read: shared/resolution.sql,
-- passive_resolution.sql). Many users: one scan of the statuses; a few: theirs from the
-- opener index alone (migration 0040), all their dimension ids in one array (one scan in key
-- order: the 941 heaviest openers' 320 000 notes in 0.14–0.15 s, against 0.18–0.19 s one
-- user at a time). Counted, those 320 000 notes come to 96 000 rows. Day ids are YYYYMMDD
-- (dimension_days).
DROP TABLE IF EXISTS dm_notes;
CREATE TEMP TABLE dm_notes AS
SELECT u.user_id AS ek, make_date(s.k / 10000, s.k / 100 % 100, greatest(s.k % 100, 1)) AS opened_d, s.is_open, s.n
FROM (
  SELECT s.dim,
         CASE WHEN s.is_open AND s.day_id >= (SELECT to_char(today - 90, 'YYYYMMDD')::integer FROM dm_p) THEN s.day_id
              ELSE s.day_id / 100 * 100 END AS k,
         s.is_open, count(*)::integer AS n
  FROM (
    SELECT s.opened_dimension_id_user AS dim, s.opened_dimension_id_date AS day_id, s.is_currently_open AS is_open
    FROM dwh.note_current_status s
    WHERE (SELECT count(*) FROM dm_dims) > 20000
    UNION ALL
    SELECT s.opened_dimension_id_user, s.opened_dimension_id_date, s.is_currently_open
    FROM dwh.note_current_status s
    WHERE (SELECT count(*) FROM dm_dims) <= 20000
      AND s.opened_dimension_id_user = ANY (ARRAY(SELECT u.dimension_user_id FROM dm_dims u))
  ) s
  GROUP BY 1, 2, 3
) s
JOIN dm_dims u ON u.dimension_user_id = s.dim;
ANALYZE dm_notes;

-- Labels of the ranking keys: countries (Spanish name, as the original published).
DROP VIEW IF EXISTS dm_rk_label;
CREATE TEMP VIEW dm_rk_label AS
SELECT country_id AS rk, country_name_es AS label,
       -- The order of ties in the rankings (shared/rankings.sql): by label, NULL without one.
       CASE WHEN country_name_es IS NOT NULL THEN row_number() OVER (ORDER BY country_name_es, country_id) END AS ord,
       -- The label as a JSON string, written once per country rather than once per ranking item
       -- (1.06 M items in a full build's users' main part at 1 M notes: 0.2 s).
       to_json(country_name_es)::text AS label_json
FROM dwh.dimension_countries;
