-- The facts the countries' state (migration 0033) has not counted yet: above dm_sw.from_fact
-- (0 for a rebuild), read as countries/facts.sql reads them (hidden actions left out, the
-- country of the fact's country dimension row, rk the acting user's OSM id or -1).
-- dm_sw.to_fact becomes the highest fact id now loaded, the next build's from_fact.
DROP TABLE IF EXISTS dm_cd;
CREATE TEMP TABLE dm_cd AS
SELECT dc.country_id AS ek, f.fact_id, f.action_comment::text AS ty,
       pg_temp.dm_action_key(f.action_at, f.id_note) AS key, f.id_note, f.action_at::date AS d,
       f.action_dimension_id_hour_of_week AS tow, f.dimension_application_creation AS app,
       f.dimension_application_version AS ver, f.days_to_resolution AS dtr,
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men, coalesce(du.user_id, -1) AS rk
FROM dwh.facts f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
LEFT JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
WHERE f.action_comment <> 'hidden' AND f.fact_id > (SELECT from_fact FROM dm_sw);
UPDATE dm_sw SET to_fact = coalesce((SELECT max(fact_id) FROM dwh.facts WHERE fact_id > dm_sw.from_fact), from_fact);
