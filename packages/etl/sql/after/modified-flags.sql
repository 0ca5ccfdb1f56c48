-- Change flags (dwh-etl §3.2): the original flagged only the action's user. $1 run id.
WITH users AS (
  UPDATE dwh.dimension_users SET modified = true
  WHERE NOT modified AND user_id IN (SELECT entity_id FROM dwh.etl_run_touched WHERE run_id = $1 AND entity = 'user')
  RETURNING 1
)
UPDATE dwh.dimension_countries SET modified = true
WHERE NOT modified AND country_id IN (SELECT entity_id FROM dwh.etl_run_touched WHERE run_id = $1 AND entity = 'country');
