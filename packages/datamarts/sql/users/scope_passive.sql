-- Users in scope only because others acted on notes they opened, closed or commented on:
-- none of their own actions was loaded since the last users build (facts above
-- dm_sw.from_fact, the users' watermark), and their row exists with their current name (not
-- dimension_users.modified: the ETL flags every touched user). Their own actions did not
-- change, so only what others' actions change is recomputed, for those who opened a touched
-- note (users/passive_scope.sql, passive_row.sql): the state of the notes they opened
-- (resolution, open notes by age) and the mentions received on them. At 1 M notes they are
-- half of a touched build's users but own 99 % of its facts (990 k of 1 M: the most active
-- openers and closers).
INSERT INTO dm_passive (id)
SELECT s.id FROM dm_scope s
WHERE EXISTS (
    -- The user's current dimension row, picked as users/row.sql picks it.
    SELECT 1 FROM dwh.datamartusers t
    CROSS JOIN LATERAL (SELECT du.dimension_user_id, du.username::varchar(256) AS username
                        FROM dwh.dimension_users du WHERE du.user_id = s.id
                        ORDER BY du.is_current DESC, du.valid_from DESC, du.dimension_user_id DESC LIMIT 1) cur
    WHERE t.user_id = s.id AND t.dimension_user_id = cur.dimension_user_id AND t.username IS NOT DISTINCT FROM cur.username)
  AND s.id NOT IN (
    -- Each new actor's user id by its key: a join let the planner (which cannot see the
    -- watermark's value) hash all 235 000 users for a few thousand new facts (0.14 s).
    SELECT du.user_id
    FROM (SELECT DISTINCT f.action_dimension_id_user AS d FROM dwh.facts f
          WHERE f.fact_id > (SELECT from_fact FROM dm_sw)) n
    CROSS JOIN LATERAL (SELECT du.user_id FROM dwh.dimension_users du WHERE du.dimension_user_id = n.d OFFSET 0) du);
-- They stay in dm_touched: their rows are not deleted, their ETL flags are cleared.
DELETE FROM dm_scope WHERE id IN (SELECT id FROM dm_passive);
