-- Rejected rows retried and loaded by this run are resolved.
UPDATE dwh.etl_quarantine q
SET resolved_at = now() AT TIME ZONE 'UTC', last_run_id = $1
FROM staging.etl_actions a
WHERE q.rejected AND q.resolved_at IS NULL
  AND q.note_id = a.note_id AND q.sequence_action = a.sequence_action;
