-- Family "mentions received" (users, part of collaboration): comments with a mention, by
-- someone else, on notes the users in scope opened (the facts' opener: the note's, as in
-- dm_notes). Its own work table: it is also what a user recomputed only for others' actions
-- needs (users/passive_row.sql). Many users: one scan of the facts with a mention; a few: those
-- on their notes by the index of migration 0037, all their ids in one array per partition (one
-- bitmap scan each, not one probe per user and partition). Only one branch runs (the condition
-- is evaluated once).
-- "By someone else": the actor's dimension row is not one of the opener's. dm_dims holds every
-- dimension row (name) of each user in scope, so no lookup of the actors' user ids is needed.
DROP TABLE IF EXISTS dm_received;
CREATE TEMP TABLE dm_received AS
SELECT u.user_id AS ek, count(*) AS mentions_received
FROM (
  SELECT f.opened_dimension_id_user, f.action_dimension_id_user
  FROM dwh.facts f
  WHERE f.action_comment = 'commented' AND f.has_mention AND (SELECT count(*) FROM dm_dims) > 20000
  UNION ALL
  SELECT f.opened_dimension_id_user, f.action_dimension_id_user
  FROM dwh.facts f
  WHERE f.action_comment = 'commented' AND f.has_mention AND (SELECT count(*) FROM dm_dims) <= 20000
    AND f.opened_dimension_id_user = ANY ((SELECT array_agg(dimension_user_id) FROM dm_dims)::integer[])
) f
JOIN dm_dims u ON u.dimension_user_id = f.opened_dimension_id_user
WHERE f.action_dimension_id_user IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dm_dims a WHERE a.dimension_user_id = f.action_dimension_id_user AND a.user_id = u.user_id)
GROUP BY u.user_id;
