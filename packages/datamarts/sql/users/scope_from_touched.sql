-- The touched users that have actions (same rule as scope_all.sql).
INSERT INTO dm_scope (id)
SELECT t.id FROM dm_touched t
WHERE EXISTS (SELECT 1 FROM dwh.dimension_users du JOIN dwh.facts f ON f.action_dimension_id_user = du.dimension_user_id
              WHERE du.user_id = t.id)
