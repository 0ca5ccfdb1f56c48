-- The ETL's change flags of the countries this build recomputed (or found without actions).
UPDATE dwh.dimension_countries SET modified = false
WHERE modified AND country_id IN (SELECT id FROM dm_touched UNION ALL SELECT id FROM dm_scope)
