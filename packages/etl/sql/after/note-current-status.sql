-- Open or closed now, for every note of the delta (dwh-etl §4): from the latest
-- opened/closed/reopened fact (by action_at, ties by sequence); `hidden` is not a state change.
-- $1 true: every note (bulk loads scan all facts once instead of probing per note).
INSERT INTO dwh.note_current_status AS s
  (id_note, dimension_id_country, opened_dimension_id_user, opened_dimension_id_date,
   is_currently_open, last_action_at, last_action_type, last_updated)
SELECT DISTINCT ON (f.id_note)
       f.id_note, f.dimension_id_country, f.opened_dimension_id_user, f.opened_dimension_id_date,
       f.action_comment IN ('opened', 'reopened'), f.action_at, f.action_comment, now() AT TIME ZONE 'UTC'
FROM dwh.facts f
WHERE ($1::boolean OR f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes)))
  AND f.action_comment IN ('opened', 'closed', 'reopened')
ORDER BY f.id_note, f.action_at DESC, f.sequence_action DESC
ON CONFLICT (id_note) DO UPDATE
SET dimension_id_country = EXCLUDED.dimension_id_country,
    opened_dimension_id_user = EXCLUDED.opened_dimension_id_user,
    opened_dimension_id_date = EXCLUDED.opened_dimension_id_date,
    is_currently_open = EXCLUDED.is_currently_open,
    last_action_at = EXCLUDED.last_action_at,
    last_action_type = EXCLUDED.last_action_type,
    last_updated = EXCLUDED.last_updated
WHERE (s.is_currently_open, s.last_action_at, s.last_action_type, s.dimension_id_country, s.opened_dimension_id_user)
      IS DISTINCT FROM
      (EXCLUDED.is_currently_open, EXCLUDED.last_action_at, EXCLUDED.last_action_type, EXCLUDED.dimension_id_country, EXCLUDED.opened_dimension_id_user);
