-- Family "resolution" (docs/metrics.md):
--   resolution time = days_to_resolution of a close action (close date − note creation date),
--     every close counts, same-day closes (0) included; average and median;
--   notes resolved = distinct notes the entity closed (users) / closed in the entity (countries);
--   open note = note_current_status.is_currently_open (reopens handled); still open = backlog =
--     active = open notes among the entity's notes (opened by the user / in the country);
--   resolution rate = % of the entity's notes that are closed now;
--   per year / month: resolution time of the closes in that period, rate of the notes opened
--     in that period.
DROP TABLE IF EXISTS dm_resolution;
CREATE TEMP TABLE dm_resolution AS
-- Closes: whole history per entity (dm_v_closes) and per year / month of the close
-- (dm_v_close_periods), from users/counts.sql or countries/counts.sql.
WITH cl AS (
  SELECT ek, avg_days_to_resolution, median_days_to_resolution, notes_resolved_count FROM dm_v_closes
), nt AS (
  SELECT ek, sum(n)::integer AS notes, coalesce(sum(n) FILTER (WHERE is_open), 0)::integer AS still_open
  FROM dm_notes GROUP BY ek
), cp AS (
  SELECT ek, yr, mo, whole_year, a, m FROM dm_v_close_periods
), np AS (
  SELECT ek, date_part('year', opened_d)::integer AS yr, coalesce(date_part('month', opened_d)::integer, 0) AS mo,
         grouping(date_part('month', opened_d)) AS whole_year,
         sum(n) AS notes, coalesce(sum(n) FILTER (WHERE NOT is_open), 0) AS closed_now
  FROM dm_notes
  GROUP BY GROUPING SETS ((ek, date_part('year', opened_d)), (ek, date_part('year', opened_d), date_part('month', opened_d)))
), periods AS (
  SELECT ek, yr, mo, whole_year,
         coalesce(round(cp.a, 2), 0) AS avg_days, coalesce(round(cp.m::numeric, 2), 0) AS median_days,
         pg_temp.dm_pct(np.closed_now, np.notes) AS rate
  FROM cp FULL JOIN np USING (ek, yr, mo, whole_year)
), by_period AS (
  -- JSON text assembled and parsed once (as shared/rankings.sql); the values are never NULL.
  SELECT ek,
         ('[' || string_agg('{"year":' || yr || ',"avg_days":' || avg_days || ',"median_days":' || median_days
                            || ',"resolution_rate":' || rate || '}', ',' ORDER BY yr) FILTER (WHERE whole_year = 1)
          || ']')::jsonb AS resolution_by_year,
         ('[' || string_agg('{"year":' || yr || ',"month":' || mo || ',"avg_days":' || avg_days || ',"median_days":' || median_days
                            || ',"resolution_rate":' || rate || '}', ',' ORDER BY yr, mo) FILTER (WHERE whole_year = 0)
          || ']')::jsonb AS resolution_by_month
  FROM periods GROUP BY ek
), eks AS (
  SELECT ek FROM cl UNION SELECT ek FROM nt
)
SELECT e.ek,
       coalesce(cl.avg_days_to_resolution, 0) AS avg_days_to_resolution,
       coalesce(cl.median_days_to_resolution, 0) AS median_days_to_resolution,
       coalesce(cl.notes_resolved_count, 0) AS notes_resolved_count,
       coalesce(nt.notes, 0) AS notes,
       coalesce(nt.still_open, 0) AS still_open,
       pg_temp.dm_pct(coalesce(nt.notes, 0) - coalesce(nt.still_open, 0), nt.notes) AS resolution_rate,
       bp.resolution_by_year, bp.resolution_by_month
FROM eks e LEFT JOIN cl USING (ek) LEFT JOIN nt USING (ek) LEFT JOIN by_period bp USING (ek);
