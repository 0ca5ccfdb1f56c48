-- The facts the global state (migration 0032) has not counted yet: above dm_sw.from_fact (0 for
-- a rebuild), read as the datamart's facts read them (global/facts.sql: hidden actions left
-- out, the country dimension row must exist). dm_sw.to_fact becomes the highest fact id now
-- loaded, counted or not, the next build's from_fact.
DROP TABLE IF EXISTS dm_gd;
CREATE TEMP TABLE dm_gd AS
SELECT f.action_comment::text AS ty,
       pg_temp.dm_action_key(f.action_at, f.id_note) AS key,
       f.id_note, dc.country_id, f.dimension_application_creation AS app, f.days_to_resolution AS dtr,
       f.comment_length AS clen, f.has_url AS url, f.has_mention AS men
FROM dwh.facts f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.action_comment <> 'hidden' AND f.fact_id > (SELECT from_fact FROM dm_sw);
UPDATE dm_sw SET to_fact = coalesce((SELECT max(fact_id) FROM dwh.facts WHERE fact_id > dm_sw.from_fact), from_fact);
