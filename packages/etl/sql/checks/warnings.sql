-- Rows that load anyway but deserve a look (dwh-etl §7.6): notes without an opened action
-- (opened user NULL), notes with no or an unknown country (loaded as -1), actions of users
-- missing from public.users (loaded with a nameless user). Upserted: a note seen again in a
-- later run does not add a second entry. $1 run id.
INSERT INTO dwh.etl_quarantine (reason, rejected, note_id, sequence_action, user_id, payload, first_run_id, last_run_id)
SELECT reason, false, note_id, NULL, user_id, payload, $1, $1
FROM (
  SELECT 'no_opened_action' AS reason, n.note_id, NULL::integer AS user_id, NULL::jsonb AS payload
  FROM staging.etl_notes n
  WHERE NOT EXISTS (SELECT 1 FROM staging.etl_actions a WHERE a.note_id = n.note_id AND a.event = 'opened')
    AND NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = n.note_id AND f.action_comment = 'opened')
  UNION ALL
  SELECT 'unknown_country', n.note_id, NULL, jsonb_build_object('id_country', n.id_country)
  FROM staging.etl_notes n
  WHERE n.id_country IS NULL
     OR NOT EXISTS (SELECT 1 FROM dwh.dimension_countries c WHERE c.country_id = n.id_country AND c.country_id <> -1)
  UNION ALL
  SELECT 'missing_user', NULL, a.id_user, NULL
  FROM (SELECT DISTINCT id_user FROM staging.etl_actions WHERE id_user IS NOT NULL) a
  WHERE NOT EXISTS (SELECT 1 FROM staging.etl_users u WHERE u.user_id = a.id_user)
) w
ON CONFLICT (reason, coalesce(note_id, 0), coalesce(sequence_action, 0), coalesce(user_id, 0)) WHERE resolved_at IS NULL
DO UPDATE SET last_run_id = EXCLUDED.last_run_id, last_seen_at = now() AT TIME ZONE 'UTC', payload = EXCLUDED.payload
RETURNING reason;
