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
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men, coalesce(f.user_id, -1) AS rk
FROM (
  -- The acting user's OSM id. A rebuild (from_fact 0) reads every fact: all users hashed. A
  -- merge reads the new facts only (≈ 4 000 after a 2 000-action ETL run at 1 M notes): each
  -- user by its key (OFFSET 0 keeps the lookups), where the planner, which cannot see the
  -- watermark's value, hashed all 235 000 users (0.13 s). Only one branch runs.
  SELECT f.*, du.user_id FROM dwh.facts f
  LEFT JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
  WHERE (SELECT from_fact FROM dm_sw) = 0
  UNION ALL
  SELECT f.*, du.user_id FROM dwh.facts f
  LEFT JOIN LATERAL (SELECT du.user_id FROM dwh.dimension_users du
                     WHERE du.dimension_user_id = f.action_dimension_id_user OFFSET 0) du ON true
  WHERE (SELECT from_fact FROM dm_sw) > 0 AND f.fact_id > (SELECT from_fact FROM dm_sw)
) f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.action_comment <> 'hidden';
UPDATE dm_sw SET to_fact = coalesce((SELECT max(fact_id) FROM dwh.facts WHERE fact_id > dm_sw.from_fact), from_fact);
