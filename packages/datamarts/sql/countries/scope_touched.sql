-- Countries touched by the ETL runs in ($1, $2]: the recorded countries plus the country of
-- each touched note.
WITH note_countries AS MATERIALIZED (
  -- The country dimension rows of the touched notes' facts, joined to the countries after:
  -- joined in one statement, the planner read every fact of every country by the country index
  -- (3.5 s for 2 000 touched notes at 1 M notes). The facts of the notes by the note index, all
  -- their ids in one array (one scan per partition): joined, they were hashed from every fact
  -- (1.0 s); one lookup per note and partition took 0.10–0.13 s for 3 965 notes, the array
  -- 0.03–0.04 s.
  SELECT DISTINCT f.dimension_id_country AS dim
  FROM dwh.facts f
  WHERE f.id_note = ANY ((SELECT array_agg(t.entity_id) FROM dwh.etl_run_touched t
                          WHERE t.entity = 'note' AND t.run_id > $1 AND t.run_id <= $2)::integer[])
)
INSERT INTO dm_touched (id)
SELECT t.entity_id FROM dwh.etl_run_touched t
WHERE t.entity = 'country' AND t.run_id > $1 AND t.run_id <= $2
UNION
SELECT dc.country_id FROM note_countries n JOIN dwh.dimension_countries dc ON dc.dimension_country_id = n.dim
UNION
-- Countries the ETL flagged (new, renamed).
SELECT dc.country_id FROM dwh.dimension_countries dc WHERE dc.modified
UNION
-- Countries whose user rankings show a user renamed since the last build of this datamart ($3).
SELECT * FROM pg_temp.dm_countries_with_renamed_users($3::timestamp)
