-- The delta of a run, base tables in this database. $1 snapshot max(note_id); $2 lower bound
-- of created_at (NULL: no bound, first run or no successful run yet). Besides the window,
-- rejected rows still in quarantine are retried: they may be valid now (their note arrived).
-- The anti-join on (note, sequence) makes re-running after a crash load nothing twice; $3
-- true (a bulk load, facts emptied) skips it. $4, $5: the range of note ids (a parallel
-- first load stages one range per connection).
INSERT INTO staging.etl_actions (note_id, sequence_action, event, created_at, id_user, body, has_text)
SELECT c.note_id, c.sequence_action, c.event::text, c.created_at, c.id_user, t.body, t.note_id IS NOT NULL
FROM (
  SELECT c.* FROM public.note_comments c
  WHERE c.note_id <= $1 AND c.note_id BETWEEN $4 AND $5 AND ($2::timestamp IS NULL OR c.created_at >= $2::timestamp)
  UNION ALL
  -- Outside the window only (UNION ALL: no duplicate elimination over the whole delta).
  SELECT c.* FROM public.note_comments c
  JOIN dwh.etl_quarantine q ON q.note_id = c.note_id AND q.sequence_action = c.sequence_action
  WHERE q.rejected AND q.resolved_at IS NULL AND c.note_id <= $1 AND c.note_id BETWEEN $4 AND $5
    AND $2::timestamp IS NOT NULL AND c.created_at < $2::timestamp
) c
LEFT JOIN public.note_comments_text t ON t.note_id = c.note_id AND t.sequence_action = c.sequence_action
WHERE $3::boolean OR NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = c.note_id AND f.sequence_action = c.sequence_action);
