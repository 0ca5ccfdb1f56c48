-- Checks the original never made (dwh-etl §6, last paragraph); same result shape as the
-- MON-00x functions so Monitoring and `health` can treat all three alike.
--   DWH-001 the default fact partition is empty (every year has its partition);
--   DWH-002 (id_note, sequence_action) is unique in facts (no unique index can span partitions);
--   DWH-003 every dimension id of every fact exists;
--   DWH-004 every base note with loadable actions has facts (SKIP without base tables).
CREATE FUNCTION dwh.validate_dwh_integrity()
RETURNS TABLE (check_name text, status text, issue_count bigint, details text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, dwh, public AS $$
#variable_conflict use_column
DECLARE
  n bigint;
  info text;
  snapshot integer;
BEGIN
  SELECT count(*) INTO n FROM dwh.facts_default;
  RETURN QUERY SELECT 'DWH-001: Default fact partition is empty'::text,
    CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
    CASE WHEN n = 0 THEN 'No issues found'
         ELSE n || ' facts in dwh.facts_default: create their year partitions (dwh.ensure_fact_partitions) and move them' END;

  SELECT count(*), string_agg(id_note || '/' || sequence_action, ', ' ORDER BY id_note, sequence_action)
           FILTER (WHERE rn <= 10)
    INTO n, info
  FROM (SELECT id_note, sequence_action, row_number() OVER (ORDER BY id_note, sequence_action) AS rn
        FROM dwh.facts GROUP BY id_note, sequence_action HAVING count(*) > 1) d;
  RETURN QUERY SELECT 'DWH-002: No duplicate (id_note, sequence_action) in facts'::text,
    CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
    CASE WHEN n = 0 THEN 'No issues found' ELSE n || ' duplicated pairs (note/sequence): ' || info END;

  -- One pass over facts: unpivot the dimension columns, anti-join a union of all dimension keys.
  WITH dims AS (
    SELECT 'country' AS dim, dimension_country_id::bigint AS id FROM dwh.dimension_countries
    UNION ALL SELECT 'day', dimension_day_id FROM dwh.dimension_days
    UNION ALL SELECT 'tow', dimension_tow_id FROM dwh.dimension_time_of_week
    UNION ALL SELECT 'user', dimension_user_id FROM dwh.dimension_users
    UNION ALL SELECT 'application', dimension_application_id FROM dwh.dimension_applications
    UNION ALL SELECT 'version', dimension_application_version_id FROM dwh.dimension_application_versions
    UNION ALL SELECT 'timezone', dimension_timezone_id FROM dwh.dimension_timezones
    UNION ALL SELECT 'season', dimension_season_id FROM dwh.dimension_seasons
    UNION ALL SELECT 'automation', dimension_automation_id FROM dwh.dimension_automation_level
  ), refs AS (
    SELECT v.col, v.dim, v.id
    FROM dwh.facts f,
    LATERAL (VALUES
      ('dimension_id_country', 'country', f.dimension_id_country::bigint),
      ('action_dimension_id_date', 'day', f.action_dimension_id_date),
      ('action_dimension_id_hour_of_week', 'tow', f.action_dimension_id_hour_of_week),
      ('action_dimension_id_user', 'user', f.action_dimension_id_user),
      ('opened_dimension_id_date', 'day', f.opened_dimension_id_date),
      ('opened_dimension_id_hour_of_week', 'tow', f.opened_dimension_id_hour_of_week),
      ('opened_dimension_id_user', 'user', f.opened_dimension_id_user),
      ('closed_dimension_id_date', 'day', f.closed_dimension_id_date),
      ('closed_dimension_id_hour_of_week', 'tow', f.closed_dimension_id_hour_of_week),
      ('closed_dimension_id_user', 'user', f.closed_dimension_id_user),
      ('dimension_application_creation', 'application', f.dimension_application_creation),
      ('dimension_application_version', 'version', f.dimension_application_version),
      ('recent_opened_dimension_id_date', 'day', f.recent_opened_dimension_id_date),
      ('action_timezone_id', 'timezone', f.action_timezone_id),
      ('local_action_dimension_id_date', 'day', f.local_action_dimension_id_date),
      ('local_action_dimension_id_hour_of_week', 'tow', f.local_action_dimension_id_hour_of_week),
      ('action_dimension_id_season', 'season', f.action_dimension_id_season),
      ('dimension_id_automation', 'automation', f.dimension_id_automation)
    ) AS v (col, dim, id)
    WHERE v.id IS NOT NULL
  ), dangling AS (
    SELECT r.col, count(*) AS c FROM refs r
    WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE d.dim = r.dim AND d.id = r.id)
    GROUP BY r.col
  )
  SELECT coalesce(sum(c), 0)::bigint, string_agg(col || ': ' || c, ', ' ORDER BY col) INTO n, info FROM dangling;
  RETURN QUERY SELECT 'DWH-003: Fact dimension ids exist'::text,
    CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
    CASE WHEN n = 0 THEN 'No issues found' ELSE n || ' dangling ids; ' || info END;

  IF to_regclass('public.note_comments') IS NULL THEN
    RETURN QUERY SELECT 'DWH-004: Base notes with actions have facts'::text, 'SKIP'::text, 0::bigint,
      'public.note_comments is not reachable from this database'::text;
    RETURN;
  END IF;
  SELECT r.snapshot_max_note_id INTO snapshot
  FROM dwh.etl_runs r
  WHERE r.status = 'succeeded' AND r.snapshot_max_note_id IS NOT NULL
  ORDER BY r.run_id DESC LIMIT 1;
  EXECUTE $q$
    SELECT count(*), string_agg(note_id::text, ', ' ORDER BY note_id) FILTER (WHERE rn <= 10)
    FROM (SELECT c.note_id, row_number() OVER (ORDER BY c.note_id) AS rn
          FROM public.note_comments c
          WHERE ($1::integer IS NULL OR c.note_id <= $1)
            AND NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = c.note_id)
            AND NOT EXISTS (SELECT 1 FROM dwh.etl_quarantine q
                            WHERE q.rejected AND q.resolved_at IS NULL
                              AND q.note_id = c.note_id AND q.sequence_action = c.sequence_action)
          GROUP BY c.note_id) m
  $q$ INTO n, info USING snapshot;
  RETURN QUERY SELECT 'DWH-004: Base notes with actions have facts'::text,
    CASE WHEN n = 0 THEN 'PASS' ELSE 'FAIL' END, n,
    CASE WHEN n = 0 THEN 'No issues found' ELSE n || ' notes without facts: ' || info END;
END
$$;
