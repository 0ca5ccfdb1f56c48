-- Every OSM user with at least one action (Anonymous, user_id -1, is not a user: no row).
INSERT INTO dm_scope (id)
SELECT DISTINCT du.user_id
FROM dwh.dimension_users du
WHERE du.user_id <> -1
  AND EXISTS (SELECT 1 FROM dwh.facts f WHERE f.action_dimension_id_user = du.dimension_user_id)
