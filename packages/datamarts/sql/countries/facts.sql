-- Input of the shared families for countries: the actions K(c) of every country in scope,
-- keyed by OSM country id (ek). rk, the key the country's rankings group by, is the acting
-- user's OSM id (for opened rows that is the opener, for closed rows the closer).
DROP TABLE IF EXISTS dm_dims;
CREATE TEMP TABLE dm_dims AS
SELECT dc.dimension_country_id, dc.country_id FROM dwh.dimension_countries dc JOIN dm_scope s ON s.id = dc.country_id;
CREATE UNIQUE INDEX ON dm_dims (dimension_country_id);
ANALYZE dm_dims;

DROP TABLE IF EXISTS dm_f CASCADE; -- and the views over it (users/counts.sql)
CREATE TEMP TABLE dm_f AS
SELECT c.country_id AS ek, coalesce(du.user_id, -1) AS rk, f.fact_id, f.id_note, f.sequence_action AS seq,
       f.action_at AS at, f.action_at::date AS d, f.action_comment::text AS ty, c.country_id,
       f.action_dimension_id_hour_of_week AS tow, f.dimension_application_creation AS app,
       f.dimension_application_version AS ver, f.days_to_resolution AS dtr,
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men
FROM dwh.facts f
JOIN dm_dims c ON c.dimension_country_id = f.dimension_id_country
LEFT JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
WHERE f.action_comment <> 'hidden' AND f.action_at >= (SELECT since FROM dm_p);
ANALYZE dm_f;

-- Notes of each country in scope, with their state now, counted (n) from the countries' state
-- (migration 0036), as users/facts.sql counts a user's: the open ones of the last 90 days per
-- day of opening (shared/recent.sql: their ages; older ones are all in the 90+ bucket), the
-- others per month, opened_d being the month's first day (only the year and month of their
-- opening are read: shared/resolution.sql, countries/extras.sql). At 1 M notes, 13 000 rows
-- instead of 243 000 per day: the families that read them and their statistics cost less.
DROP TABLE IF EXISTS dm_notes;
CREATE TEMP TABLE dm_notes AS
SELECT ek, opened_d, is_open, sum(n)::integer AS n
FROM (
  SELECT s.country_id AS ek,
         CASE WHEN s.day >= (SELECT today - 90 FROM dm_p) THEN s.day ELSE date_trunc('month', s.day::timestamp)::date END AS opened_d,
         true AS is_open, s.open_notes AS n
  FROM dwh.datamart_country_note_days s JOIN dm_scope e ON e.id = s.country_id WHERE s.open_notes > 0
  UNION ALL
  SELECT s.country_id, date_trunc('month', s.day::timestamp)::date, false, s.notes - s.open_notes
  FROM dwh.datamart_country_note_days s JOIN dm_scope e ON e.id = s.country_id WHERE s.notes > s.open_notes
) s
GROUP BY ek, opened_d, is_open;
ANALYZE dm_notes;

-- Labels of the ranking keys: users' current names. ord, the position of the label that orders
-- ties (shared/rankings.sql), is left NULL: numbering every user's name (235 000 at 1 M notes)
-- cost 0.4 s of each build, and ties then compare the labels of the few items kept.
DROP VIEW IF EXISTS dm_rk_label;
CREATE TEMP VIEW dm_rk_label AS
-- label_json is left NULL too: the rankings write the JSON string of the few labels they keep.
SELECT user_id AS rk, username AS label, NULL::bigint AS ord, NULL::text AS label_json FROM dwh.dimension_users WHERE is_current;
