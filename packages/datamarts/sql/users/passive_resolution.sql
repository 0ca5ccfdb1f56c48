-- Family "resolution" (shared/resolution.sql) for the passive users who opened a touched note
-- (users/passive_scope.sql), without reading their closes. Their closes are unchanged: no new
-- action is theirs, and a close's days_to_resolution (its date − the note's creation date) never
-- changes. So the averages and medians of their closes, whole history and per period, are the
-- ones in their row. What others' actions change is the state of the notes they opened: the
-- still open count and the resolution rates, whole history and per period of opening, computed
-- here from dm_notes as shared/resolution.sql computes them. The set of notes a user opened only
-- grows by an opening of theirs (the ETL never deletes a note's status), so their periods are
-- those of the row; a period missing there (none expected) had no close either, and gets
-- average and median 0, as the full family gives it. Same columns as shared/resolution.sql.
DROP TABLE IF EXISTS dm_resolution;
CREATE TEMP TABLE dm_resolution AS
WITH nt AS (
  SELECT ek, sum(n)::integer AS notes, coalesce(sum(n) FILTER (WHERE is_open), 0)::integer AS still_open
  FROM dm_notes GROUP BY ek
), np AS (
  SELECT ek, date_part('year', opened_d)::integer AS yr, coalesce(date_part('month', opened_d)::integer, 0) AS mo,
         grouping(date_part('month', opened_d)) AS whole_year,
         pg_temp.dm_pct(coalesce(sum(n) FILTER (WHERE NOT is_open), 0), sum(n)) AS rate
  FROM dm_notes
  GROUP BY GROUPING SETS ((ek, date_part('year', opened_d)), (ek, date_part('year', opened_d), date_part('month', opened_d)))
), cur AS (
  SELECT t.* FROM dwh.datamartusers t JOIN dm_scope s ON s.id = t.user_id
), elements AS (
  -- The row's periods: whole years (whole_year = 1, mo = 0) and months.
  SELECT r.user_id AS ek, 1 AS whole_year, (x.e ->> 'year')::integer AS yr, 0 AS mo, x.e
  FROM cur r CROSS JOIN LATERAL jsonb_array_elements(r.resolution_by_year) x(e)
  UNION ALL
  SELECT r.user_id, 0, (x.e ->> 'year')::integer, (x.e ->> 'month')::integer, x.e
  FROM cur r CROSS JOIN LATERAL jsonb_array_elements(r.resolution_by_month) x(e)
), periods AS (
  SELECT coalesce(e.ek, np.ek) AS ek, coalesce(e.whole_year, np.whole_year) AS whole_year,
         coalesce(e.yr, np.yr) AS yr, coalesce(e.mo, np.mo) AS mo,
         CASE WHEN e.e IS NULL
              THEN CASE WHEN np.whole_year = 1
                        THEN jsonb_build_object('year', np.yr, 'avg_days', 0, 'median_days', 0, 'resolution_rate', np.rate)
                        ELSE jsonb_build_object('year', np.yr, 'month', np.mo, 'avg_days', 0, 'median_days', 0,
                                                'resolution_rate', np.rate) END
              WHEN np.rate IS NULL THEN e.e
              ELSE jsonb_set(e.e, '{resolution_rate}', to_jsonb(np.rate)) END AS e
  FROM elements e FULL JOIN np USING (ek, whole_year, yr, mo)
), by_period AS (
  SELECT ek,
         jsonb_agg(e ORDER BY yr) FILTER (WHERE whole_year = 1) AS resolution_by_year,
         jsonb_agg(e ORDER BY yr, mo) FILTER (WHERE whole_year = 0) AS resolution_by_month
  FROM periods GROUP BY ek
)
SELECT r.user_id AS ek, r.avg_days_to_resolution, r.median_days_to_resolution, r.notes_resolved_count,
       coalesce(nt.notes, 0) AS notes,
       coalesce(nt.still_open, 0) AS still_open,
       pg_temp.dm_pct(coalesce(nt.notes, 0) - coalesce(nt.still_open, 0), nt.notes) AS resolution_rate,
       bp.resolution_by_year, bp.resolution_by_month
FROM cur r LEFT JOIN nt ON nt.ek = r.user_id LEFT JOIN by_period bp ON bp.ek = r.user_id;
