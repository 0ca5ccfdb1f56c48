-- The (country, year) ranking lists a touched build recomputes (countries/counts.sql); the
-- other years' lists are kept from the countries' rows (countries/row.sql). yr -1: every year.
-- A year's lists change only with new opening or closing facts in that year (counts only grow:
-- facts are never taken out of a country's state) or with a new name of one of its users (the
-- labels, and the order of ties). Year 0, the whole history, is always recomputed.
INSERT INTO dm_rank_years (ek, yr)
-- Countries with no row yet, or rows whose fact watermark is not known ($1, migration 0039).
SELECT s.id, -1 FROM dm_scope s
WHERE $1::bigint IS NULL OR NOT EXISTS (SELECT 1 FROM dwh.datamartcountries c WHERE c.country_id = s.id)
UNION
-- The years of the facts the rows do not include yet.
SELECT dc.country_id, date_part('year', f.action_at)::integer
FROM dwh.facts f
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE f.fact_id > $1::bigint AND f.action_comment IN ('opened', 'closed')
  AND dc.country_id IN (SELECT id FROM dm_scope)
UNION
-- Countries whose lists show a user renamed since their last build ($2).
SELECT r.id, -1 FROM pg_temp.dm_countries_with_renamed_users($2::timestamp) r (id)
WHERE r.id IN (SELECT id FROM dm_scope)
