-- Countries touched by the ETL runs in ($1, $2]: the recorded countries plus the country of
-- each touched note.
INSERT INTO dm_touched (id)
SELECT t.entity_id FROM dwh.etl_run_touched t
WHERE t.entity = 'country' AND t.run_id > $1 AND t.run_id <= $2
UNION
SELECT dc.country_id
FROM dwh.etl_run_touched t
JOIN dwh.facts f ON f.id_note = t.entity_id
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
WHERE t.entity = 'note' AND t.run_id > $1 AND t.run_id <= $2
