-- Users touched by the ETL runs in ($1, $2]: the recorded users, plus the actor, the opener and
-- every closer of each touched note (an opener's metrics change when someone else acts on the note).
WITH note_users AS MATERIALIZED (
  -- The user dimension rows of the touched notes' facts, joined to the users after: in one
  -- statement the planner scanned every fact without parallel workers (1.5 s for 2 000 touched
  -- notes at 1 M notes). The facts of the notes by the note index, all their ids in one array
  -- (one scan per partition): joined, they were hashed from every fact (0.5 s); one lookup per
  -- note and partition took 0.19–0.35 s for 3 965 notes, the array 0.06–0.07 s.
  SELECT DISTINCT unnest(ARRAY[f.action_dimension_id_user, f.opened_dimension_id_user, f.closed_dimension_id_user]) AS dim
  FROM dwh.facts f
  WHERE f.id_note = ANY ((SELECT array_agg(t.entity_id) FROM dwh.etl_run_touched t
                          WHERE t.entity = 'note' AND t.run_id > $1 AND t.run_id <= $2)::integer[])
)
INSERT INTO dm_touched (id)
SELECT t.entity_id FROM dwh.etl_run_touched t
WHERE t.entity = 'user' AND t.run_id > $1 AND t.run_id <= $2 AND t.entity_id <> -1
UNION
-- Their users by the dimension key, all in one array (4 500 at 1 M notes: one index scan in
-- key order, 0.02 s; one lookup each 0.04 s; hashed, all 235 000 rows 0.05 s).
SELECT du.user_id FROM dwh.dimension_users du
WHERE du.dimension_user_id = ANY (ARRAY(SELECT n.dim FROM note_users n)) AND du.user_id <> -1
UNION
-- Users the ETL flagged (new users, renames: a rename changes the username of the row even
-- without a new action).
SELECT du.user_id FROM dwh.dimension_users du WHERE du.modified AND du.user_id <> -1
