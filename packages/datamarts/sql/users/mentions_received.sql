-- Family "mentions received" (users, part of collaboration): comments with a mention, by
-- someone else, on notes the users in scope opened (the facts' opener: the note's, as in
-- dm_notes). Its own work table: it is also what a user recomputed only for others' actions
-- needs (users/passive_row.sql). Many users: one scan of the facts with a mention; a few: those
-- on their notes by the index of migration 0037 (OFFSET 0 keeps the lookup per user). Only one
-- branch runs (the condition is evaluated once).
DROP TABLE IF EXISTS dm_received;
CREATE TEMP TABLE dm_received AS
SELECT u.user_id AS ek, count(*) AS mentions_received
FROM (
  SELECT f.opened_dimension_id_user, du.user_id AS actor
  FROM dwh.facts f JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
  WHERE f.action_comment = 'commented' AND f.has_mention AND (SELECT count(*) FROM dm_dims) > 20000
  UNION ALL
  -- The actor's user id looked up inside the lateral: joined outside it, the planner cannot
  -- tell which branch runs and hashed all 235 000 users for a few hundred facts (0.14 s).
  SELECT u.dimension_user_id, f.actor FROM dm_dims u
  CROSS JOIN LATERAL (SELECT du.user_id AS actor
                      FROM dwh.facts f JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
                      WHERE f.opened_dimension_id_user = u.dimension_user_id
                        AND f.action_comment = 'commented' AND f.has_mention OFFSET 0) f
  WHERE (SELECT count(*) FROM dm_dims) <= 20000
) f
JOIN dm_dims u ON u.dimension_user_id = f.opened_dimension_id_user
WHERE f.actor <> u.user_id
GROUP BY u.user_id;
