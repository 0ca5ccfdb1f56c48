-- What this run changed, for the datamart step (datamarts-export §14): the delta's notes, the
-- OSM users that act on them or opened them (closers act too), and their countries. Not
-- written for first and full runs: those rebuild every datamart. $1 run id.
INSERT INTO dwh.etl_run_touched (run_id, entity, entity_id)
SELECT $1::bigint, 'note', note_id FROM staging.etl_notes
UNION
SELECT $1::bigint, 'user', du.user_id
FROM (SELECT f.action_dimension_id_user AS dim FROM dwh.facts f WHERE f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes))
      UNION
      SELECT f.opened_dimension_id_user FROM dwh.facts f WHERE f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes))) u
JOIN dwh.dimension_users du ON du.dimension_user_id = u.dim
WHERE du.user_id <> -1
UNION
SELECT $1::bigint, 'country', dc.country_id
FROM (SELECT DISTINCT f.dimension_id_country AS dim FROM dwh.facts f WHERE f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes))) c
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = c.dim
ON CONFLICT DO NOTHING;
