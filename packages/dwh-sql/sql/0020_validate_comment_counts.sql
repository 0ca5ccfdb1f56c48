-- MON-002 (called by OSM-Notes-Monitoring): base actions against facts. Contract names and
-- texts (dwh-etl §6). The base rows counted are those the ETL may load: note_id at or below
-- the snapshot of the last successful run, minus rejected rows still in quarantine, so a
-- healthy DWH passes while ingestion keeps writing. Dynamic SQL behind to_regclass: the
-- function compiles and answers SKIP when the base tables live in another database.
CREATE FUNCTION dwh.validate_comment_counts()
RETURNS TABLE (check_name text, status text, issue_count bigint, details text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, dwh, public AS $$
#variable_conflict use_column
DECLARE
  snapshot integer;
BEGIN
  IF to_regclass('public.note_comments') IS NULL THEN
    RETURN QUERY SELECT 'MON-002: Base table availability check'::text, 'SKIP'::text, 0::bigint,
      'public.note_comments is not reachable from this database (base tables in a separate ingestion database)'::text;
    RETURN;
  END IF;

  SELECT r.snapshot_max_note_id INTO snapshot
  FROM dwh.etl_runs r
  WHERE r.status = 'succeeded' AND r.snapshot_max_note_id IS NOT NULL
  ORDER BY r.run_id DESC LIMIT 1;

  RETURN QUERY EXECUTE $q$
    WITH base AS (
      SELECT c.note_id, c.event::text AS ev, count(*) AS n
      FROM public.note_comments c
      WHERE ($1::integer IS NULL OR c.note_id <= $1)
        AND NOT EXISTS (SELECT 1 FROM dwh.etl_quarantine q
                        WHERE q.rejected AND q.resolved_at IS NULL
                          AND q.note_id = c.note_id AND q.sequence_action = c.sequence_action)
      GROUP BY c.note_id, c.event
    ), facts AS (
      SELECT f.id_note AS note_id, f.action_comment::text AS ev, count(*) AS n
      FROM dwh.facts f GROUP BY f.id_note, f.action_comment
    ), both_sides AS (
      SELECT coalesce(b.note_id, f.note_id) AS note_id, coalesce(b.ev, f.ev) AS ev,
             coalesce(b.n, 0) AS bn, coalesce(f.n, 0) AS fn
      FROM base b FULL JOIN facts f ON f.note_id = b.note_id AND f.ev = b.ev
    ), per_note AS (
      SELECT note_id FROM both_sides GROUP BY note_id HAVING sum(bn) <> sum(fn)
    ), per_event AS (
      SELECT ev, sum(bn) AS bn, sum(fn) AS fn FROM both_sides GROUP BY ev
    ), totals AS (
      SELECT coalesce(sum(bn), 0)::bigint AS bn, coalesce(sum(fn), 0)::bigint AS fn FROM both_sides
    )
    SELECT CASE WHEN t.bn = t.fn THEN 'MON-002: Total comment count match'
                ELSE 'MON-002: Total comment count mismatch' END,
           CASE WHEN t.bn = t.fn THEN 'PASS' ELSE 'FAIL' END,
           abs(t.bn - t.fn),
           'base actions: ' || t.bn || ', facts: ' || t.fn
    FROM totals t
    UNION ALL
    SELECT CASE WHEN n = 0 THEN 'MON-002: Per-note comment count matches'
                ELSE 'MON-002: Per-note comment count mismatches' END,
           CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
           CASE WHEN n = 0 THEN 'No issues found'
                ELSE n || ' issues; notes: ' || array_to_string(sample, ', ') || CASE WHEN n > 10 THEN ', …' ELSE '' END END
    FROM (SELECT count(*) AS n, (array_agg(note_id ORDER BY note_id))[1:10] AS sample FROM per_note) p
    UNION ALL
    SELECT CASE WHEN n = 0 THEN 'MON-002: Action type distribution matches'
                ELSE 'MON-002: Action type distribution mismatch' END,
           CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
           CASE WHEN n = 0 THEN 'No issues found' ELSE n || ' issues; ' || differing END
    FROM (SELECT count(*) FILTER (WHERE bn <> fn) AS n,
                 string_agg(ev || ' base ' || bn || ' facts ' || fn, '; ' ORDER BY ev) FILTER (WHERE bn <> fn) AS differing
          FROM per_event) e
  $q$ USING snapshot;
END
$$;
