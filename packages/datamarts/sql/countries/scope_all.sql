-- Every country (OSM id; -1 = unknown / international waters) with at least one action.
INSERT INTO dm_scope (id)
SELECT dc.country_id FROM dwh.dimension_countries dc
WHERE EXISTS (SELECT 1 FROM dwh.facts f WHERE f.dimension_id_country = dc.dimension_country_id)
