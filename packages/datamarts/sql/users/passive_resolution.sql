-- Family "resolution" (shared/resolution.sql) for the passive users who opened a touched note
-- (users/passive_scope.sql), without reading their closes. Their closes are unchanged: no new
-- action is theirs, and a close's days_to_resolution (its date − the note's creation date) never
-- changes. So the averages and medians of their closes, whole history and per period, are the
-- ones in their row. What others' actions change is the state of the notes they opened: the
-- still open count and the resolution rates, whole history and per period of opening. The whole
-- history comes from dm_notes; of the periods, only those the touched notes were opened in can
-- change (dm_pp, users/passive_periods.sql): their rates, and those of their years, are
-- computed from dm_notes as shared/resolution.sql computes them and set in the row's arrays,
-- looked up per element by key. At 1 M notes (941 openers, 50 000 periods in their rows):
-- 0.64–0.65 s, against 0.66–0.93 s when every period's rate was recomputed and joined back.
-- A list whose touched periods all keep their rate (a note only commented on, or closed and
-- reopened) is kept as it is, not rebuilt: the same value, without taking the list apart.
-- A touched period missing from the row (none expected: a note opened then has its period) is
-- inserted with average and median 0, as the full family gives it. Same columns as
-- shared/resolution.sql.
DROP TABLE IF EXISTS dm_resolution;
CREATE TEMP TABLE dm_resolution AS
WITH nt AS (
  SELECT ek, sum(n)::integer AS notes, coalesce(sum(n) FILTER (WHERE is_open), 0)::integer AS still_open
  FROM dm_notes GROUP BY ek
), np AS (
  -- The notes of the touched years only.
  SELECT n.ek, date_part('year', n.opened_d)::integer AS yr, coalesce(date_part('month', n.opened_d)::integer, 0) AS mo,
         grouping(date_part('month', n.opened_d)) AS whole_year,
         pg_temp.dm_pct(coalesce(sum(n.n) FILTER (WHERE NOT n.is_open), 0), sum(n.n)) AS rate
  FROM dm_notes n
  WHERE (n.ek, date_part('year', n.opened_d)::integer) IN (SELECT ek, yr FROM dm_pp)
  GROUP BY GROUPING SETS ((n.ek, date_part('year', n.opened_d)), (n.ek, date_part('year', n.opened_d), date_part('month', n.opened_d)))
), rates AS (
  -- Per user, the new rates of the touched years ({"2020": 12.5}) and months ({"2020-6": 40}).
  SELECT ek,
         jsonb_object_agg(yr::text, rate) FILTER (WHERE whole_year = 1) AS by_year,
         jsonb_object_agg(yr || '-' || mo, rate) FILTER (WHERE whole_year = 0) AS by_month
  FROM np
  WHERE whole_year = 1 OR (ek, yr, mo) IN (SELECT ek, yr, mo FROM dm_pp)
  GROUP BY ek
)
SELECT r.user_id AS ek, r.avg_days_to_resolution, r.median_days_to_resolution, r.notes_resolved_count,
       coalesce(nt.notes, 0) AS notes,
       coalesce(nt.still_open, 0) AS still_open,
       pg_temp.dm_pct(coalesce(nt.notes, 0) - coalesce(nt.still_open, 0), nt.notes) AS resolution_rate,
       CASE WHEN NOT EXISTS (
                   SELECT 1 FROM jsonb_each(rt.by_year) k
                   WHERE jsonb_path_query_first(r.resolution_by_year, '$[*] ? (@.year == $y).resolution_rate',
                                                jsonb_build_object('y', k.key::integer))::text IS DISTINCT FROM k.value::text)
            THEN r.resolution_by_year ELSE
       (SELECT jsonb_agg(z.e ORDER BY z.yr)
        FROM (SELECT (x.e ->> 'year')::integer AS yr,
                     -- jsonb_set is strict: an untouched period (no new rate) stays as it was.
                     coalesce(jsonb_set(x.e, '{resolution_rate}', rt.by_year -> (x.e ->> 'year')), x.e) AS e
              FROM jsonb_array_elements(r.resolution_by_year) x(e)
              UNION ALL
              SELECT k.key::integer, jsonb_build_object('year', k.key::integer, 'avg_days', 0, 'median_days', 0, 'resolution_rate', k.value)
              FROM jsonb_each(rt.by_year) k
              WHERE NOT coalesce(r.resolution_by_year @> jsonb_build_array(jsonb_build_object('year', k.key::integer)), false)) z
       ) END AS resolution_by_year,
       CASE WHEN NOT EXISTS (
                   SELECT 1 FROM jsonb_each(rt.by_month) k
                   WHERE jsonb_path_query_first(r.resolution_by_month, '$[*] ? (@.year == $y && @.month == $m).resolution_rate',
                                                jsonb_build_object('y', split_part(k.key, '-', 1)::integer,
                                                                   'm', split_part(k.key, '-', 2)::integer))::text
                         IS DISTINCT FROM k.value::text)
            THEN r.resolution_by_month ELSE
       (SELECT jsonb_agg(z.e ORDER BY z.yr, z.mo)
        FROM (SELECT (x.e ->> 'year')::integer AS yr, (x.e ->> 'month')::integer AS mo,
                     coalesce(jsonb_set(x.e, '{resolution_rate}', rt.by_month -> ((x.e ->> 'year') || '-' || (x.e ->> 'month'))), x.e) AS e
              FROM jsonb_array_elements(r.resolution_by_month) x(e)
              UNION ALL
              SELECT p.yr, p.mo, jsonb_build_object('year', p.yr, 'month', p.mo, 'avg_days', 0, 'median_days', 0, 'resolution_rate', k.value)
              FROM jsonb_each(rt.by_month) k
              CROSS JOIN LATERAL (SELECT split_part(k.key, '-', 1)::integer AS yr, split_part(k.key, '-', 2)::integer AS mo) p
              WHERE NOT coalesce(r.resolution_by_month @> jsonb_build_array(jsonb_build_object('year', p.yr, 'month', p.mo)), false)) z
       ) END AS resolution_by_month
FROM dwh.datamartusers r
JOIN dm_scope s ON s.id = r.user_id
LEFT JOIN nt ON nt.ek = r.user_id
LEFT JOIN rates rt ON rt.ek = r.user_id;
