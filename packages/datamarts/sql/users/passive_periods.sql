-- The periods of opening (year, month) of the notes the ETL runs in ($1, $2] touched, per
-- passive opener in dm_scope (users/passive_scope.sql): only there can the state of the notes
-- they opened have changed (a note's status changes only by an action on it, and the ETL never
-- deletes a status), so only those months and their years get a new resolution rate
-- (users/passive_resolution.sql). Days as in users/facts.sql (dimension ids are YYYYMMDD).
-- From the touched notes, each looked up by key (OFFSET 0 keeps the lookups): joined, the
-- planner started from the openers and read all 247 000 notes they opened (0.45 s).
INSERT INTO dm_pp (ek, yr, mo)
SELECT DISTINCT u.user_id, s.day_id / 10000, s.day_id / 100 % 100
FROM dwh.etl_run_touched t
CROSS JOIN LATERAL (SELECT s.opened_dimension_id_user AS dim, s.opened_dimension_id_date AS day_id
                    FROM dwh.note_current_status s WHERE s.id_note = t.entity_id OFFSET 0) s
CROSS JOIN LATERAL (SELECT du.user_id FROM dwh.dimension_users du WHERE du.dimension_user_id = s.dim OFFSET 0) u
WHERE t.entity = 'note' AND t.run_id > $1 AND t.run_id <= $2
  AND s.day_id IS NOT NULL
  AND u.user_id IN (SELECT id FROM dm_scope)
