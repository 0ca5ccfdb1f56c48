-- Rows that cannot become facts (dwh-etl §7.6) go to quarantine with their reason and leave
-- the delta; the next runs retry them (a row whose note arrives later then loads). $1 run id.
WITH rejects AS (
  SELECT a.note_id, a.sequence_action, a.id_user,
         CASE
           WHEN a.event IS NULL OR a.event NOT IN ('opened', 'closed', 'reopened', 'commented', 'hidden') THEN 'bad_event'
           WHEN a.created_at IS NULL THEN 'null_created_at'
           WHEN a.created_at > (now() AT TIME ZONE 'UTC') + interval '1 day' THEN 'future_created_at'
           WHEN n.note_id IS NULL THEN 'orphan_action'
         END AS reason,
         jsonb_build_object('event', a.event, 'created_at', a.created_at, 'id_user', a.id_user) AS payload
  FROM staging.etl_actions a
  LEFT JOIN staging.etl_notes n ON n.note_id = a.note_id
), quarantined AS (
  INSERT INTO dwh.etl_quarantine (reason, rejected, note_id, sequence_action, user_id, payload, first_run_id, last_run_id)
  SELECT reason, true, note_id, sequence_action, id_user, payload, $1, $1
  FROM rejects WHERE reason IS NOT NULL
  ON CONFLICT (reason, coalesce(note_id, 0), coalesce(sequence_action, 0), coalesce(user_id, 0)) WHERE resolved_at IS NULL
  DO UPDATE SET last_run_id = EXCLUDED.last_run_id, last_seen_at = now() AT TIME ZONE 'UTC', payload = EXCLUDED.payload
  RETURNING note_id, sequence_action
)
DELETE FROM staging.etl_actions a
USING quarantined q
WHERE a.note_id = q.note_id AND a.sequence_action = q.sequence_action;
