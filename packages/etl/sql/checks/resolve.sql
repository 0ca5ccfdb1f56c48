-- Quarantine entries whose cause is gone are resolved ($1 run id):
--   rejected rows that this run retried and loaded;
--   missing_user: the nameless user's name has arrived (dims/users-name-found.sql);
--   no_opened_action: a note of this run now has its opened action in facts.
-- Unresolved entries are few (warnings of bad rows), so this reads only those.
UPDATE dwh.etl_quarantine q
SET resolved_at = now() AT TIME ZONE 'UTC', last_run_id = $1
WHERE q.resolved_at IS NULL
  AND CASE
        WHEN q.rejected THEN EXISTS (SELECT 1 FROM staging.etl_actions a
                                     WHERE a.note_id = q.note_id AND a.sequence_action = q.sequence_action)
        WHEN q.reason = 'missing_user' THEN EXISTS (SELECT 1 FROM dwh.dimension_users d
                                                    WHERE d.user_id = q.user_id AND d.is_current AND d.username IS NOT NULL)
        WHEN q.reason = 'no_opened_action' THEN EXISTS (SELECT 1 FROM staging.etl_notes n WHERE n.note_id = q.note_id)
                                             AND EXISTS (SELECT 1 FROM dwh.facts f
                                                         WHERE f.id_note = q.note_id AND f.action_comment = 'opened')
        ELSE false
      END
