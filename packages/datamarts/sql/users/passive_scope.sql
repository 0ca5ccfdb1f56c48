-- Of the passive users (users/scope_passive.sql), those others' actions can change: the
-- openers of the notes the ETL runs in ($1, $2] touched (the state of the notes they opened,
-- the mentions received on them). The others only closed or commented on those notes: the
-- new actions come after theirs and change nothing of their row.
INSERT INTO dm_scope (id)
SELECT p.id FROM dm_passive p
WHERE p.id IN (SELECT du.user_id
               FROM dwh.etl_run_touched t
               JOIN dwh.note_current_status s ON s.id_note = t.entity_id
               JOIN dwh.dimension_users du ON du.dimension_user_id = s.opened_dimension_id_user
               WHERE t.entity = 'note' AND t.run_id > $1 AND t.run_id <= $2)
