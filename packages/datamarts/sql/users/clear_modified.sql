-- The ETL's change flags of the users this build recomputed (or found without actions).
UPDATE dwh.dimension_users SET modified = false
WHERE modified AND user_id IN (SELECT id FROM dm_touched UNION ALL SELECT id FROM dm_scope)
