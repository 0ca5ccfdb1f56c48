-- Family "mentions received" (users, part of collaboration): comments with a mention, by
-- someone else, on notes the users in scope opened. Its own work table: it is also what a
-- user recomputed only for others' actions needs (users/passive_row.sql).
DROP TABLE IF EXISTS dm_received;
CREATE TEMP TABLE dm_received AS
SELECT n.ek, count(*) AS mentions_received
FROM dwh.facts f
JOIN dm_notes n ON n.id_note = f.id_note
JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
WHERE f.action_comment = 'commented' AND f.has_mention AND du.user_id <> n.ek
GROUP BY n.ek;
