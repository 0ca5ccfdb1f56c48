-- MON-001 (called by OSM-Notes-Monitoring): note_current_status against the facts.
-- Name, signature, result columns and check texts are a contract (dwh-etl §6).
-- SECURITY DEFINER so a monitoring role needs only EXECUTE; read-only.
CREATE FUNCTION dwh.validate_note_current_status()
RETURNS TABLE (check_name text, status text, issue_count bigint, details text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, dwh, public AS $$
  WITH state_facts AS (
    SELECT f.id_note, f.sequence_action, f.action_at, f.action_comment::text AS ev
    FROM dwh.facts f
    WHERE f.action_comment IN ('opened', 'closed', 'reopened')
  ), latest AS (
    SELECT DISTINCT ON (id_note) id_note, action_at, ev
    FROM state_facts
    ORDER BY id_note, action_at DESC, sequence_action DESC
  ), per_note AS (
    SELECT id_note,
           max(action_at) FILTER (WHERE ev = 'closed') AS last_close,
           max(action_at) FILTER (WHERE ev = 'reopened') AS last_reopen,
           max(action_at) FILTER (WHERE ev IN ('opened', 'reopened')) AS last_open
    FROM state_facts GROUP BY id_note
  ), closed_reopened AS (
    SELECT s.id_note FROM dwh.note_current_status s JOIN per_note p USING (id_note)
    WHERE NOT s.is_currently_open AND p.last_reopen > s.last_action_at
  ), open_but_closed AS (
    SELECT s.id_note FROM dwh.note_current_status s LEFT JOIN per_note p USING (id_note)
    WHERE s.is_currently_open AND s.last_action_type = 'closed'
      AND NOT coalesce(p.last_open > p.last_close, false)
  ), mismatched AS (
    SELECT coalesce(s.id_note, l.id_note) AS id_note
    FROM dwh.note_current_status s FULL JOIN latest l ON l.id_note = s.id_note
    WHERE s.id_note IS NULL OR l.id_note IS NULL
       OR s.is_currently_open <> (l.ev <> 'closed')
       OR s.last_action_at <> l.action_at
       OR s.last_action_type::text <> l.ev
  ), counted AS (
    SELECT 1 AS ord, 'MON-001: Notes closed but have reopen after last close' AS name,
           count(*) AS n, (array_agg(id_note ORDER BY id_note))[1:10] AS sample
    FROM closed_reopened
    UNION ALL
    SELECT 2, 'MON-001: Notes marked as open but last action is closed',
           count(*), (array_agg(id_note ORDER BY id_note))[1:10]
    FROM open_but_closed
    UNION ALL
    SELECT 3, NULL, count(*), (array_agg(id_note ORDER BY id_note))[1:10]
    FROM mismatched
  )
  SELECT coalesce(name, CASE WHEN n = 0
                    THEN 'MON-001: note_current_status matches most recent action in facts'
                    ELSE 'MON-001: note_current_status does not match most recent action in facts' END),
         CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END,
         n,
         CASE WHEN n = 0 THEN 'No issues found'
              ELSE n || ' issues; notes: ' || array_to_string(sample, ', ') || CASE WHEN n > 10 THEN ', …' ELSE '' END
         END
  FROM counted ORDER BY ord
$$;
