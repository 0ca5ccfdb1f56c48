-- Input of the shared families for the global datamart: the actions since dm_p.since (the
-- last 371 days: the whole-history measures come from the countries' state, global/row.sql),
-- one entity (ek = 1). rk is the country.
DROP TABLE IF EXISTS dm_f CASCADE; -- and the views over it (users/counts.sql)
CREATE TEMP TABLE dm_f AS
SELECT 1 AS ek, dc.country_id AS rk, f.fact_id, f.id_note, f.sequence_action AS seq,
       f.action_at AS at, f.action_at::date AS d, f.action_comment::text AS ty, dc.country_id,
       f.action_dimension_id_hour_of_week AS tow, f.dimension_application_creation AS app,
       f.dimension_application_version AS ver, f.days_to_resolution AS dtr,
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men,
       f.action_dimension_id_user AS actor_dim
FROM dwh.facts f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.action_comment <> 'hidden' AND f.action_at >= (SELECT since FROM dm_p);
ANALYZE dm_f;

-- Every note, counted (n) per day of opening and open or not, from the countries' state
-- (migration 0036: every note's status has a country dimension row, from its facts, the
-- unknown country's when it has none).
DROP TABLE IF EXISTS dm_notes;
CREATE TEMP TABLE dm_notes AS
SELECT 1 AS ek, day AS opened_d, true AS is_open, sum(open_notes)::integer AS n
FROM dwh.datamart_country_note_days WHERE open_notes > 0 GROUP BY day
UNION ALL
SELECT 1, day, false, sum(notes - open_notes)::integer
FROM dwh.datamart_country_note_days WHERE notes > open_notes GROUP BY day;
ANALYZE dm_notes;

DROP VIEW IF EXISTS dm_rk_label;
CREATE TEMP VIEW dm_rk_label AS
SELECT country_id AS rk, country_name AS label,
       -- The order of ties in the rankings (shared/rankings.sql): by label, NULL without one.
       CASE WHEN country_name IS NOT NULL THEN row_number() OVER (ORDER BY country_name, country_id) END AS ord
FROM dwh.dimension_countries;
