-- The touched countries that have actions (same rule as scope_all.sql).
INSERT INTO dm_scope (id)
SELECT t.id FROM dm_touched t
WHERE EXISTS (SELECT 1 FROM dwh.dimension_countries dc JOIN dwh.facts f ON f.dimension_id_country = dc.dimension_country_id
              WHERE dc.country_id = t.id)
