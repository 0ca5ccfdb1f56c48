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
WITH closes AS (
  SELECT ek, id_note, d, dtr FROM dm_f WHERE ty = 'closed'
), cl AS (
  SELECT ek,
         round(avg(dtr), 2) AS avg_days_to_resolution,
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY dtr))::numeric, 2) AS median_days_to_resolution,
         count(DISTINCT id_note)::integer AS notes_resolved_count
  FROM closes GROUP BY ek
), nt AS (
  SELECT ek, count(*)::integer AS notes, count(*) FILTER (WHERE is_open)::integer AS still_open
  FROM dm_notes GROUP BY ek
), cp AS (
  SELECT ek, date_part('year', d)::integer AS yr, coalesce(date_part('month', d)::integer, 0) AS mo, grouping(date_part('month', d)) AS whole_year,
         avg(dtr) AS a, percentile_cont(0.5) WITHIN GROUP (ORDER BY dtr) AS m
  FROM closes WHERE dtr IS NOT NULL
  GROUP BY GROUPING SETS ((ek, date_part('year', d)), (ek, date_part('year', d), date_part('month', d)))
), np AS (
  SELECT ek, date_part('year', opened_d)::integer AS yr, coalesce(date_part('month', opened_d)::integer, 0) AS mo,
         grouping(date_part('month', opened_d)) AS whole_year,
         count(*) AS notes, count(*) FILTER (WHERE NOT is_open) AS closed_now
  FROM dm_notes
  GROUP BY GROUPING SETS ((ek, date_part('year', opened_d)), (ek, date_part('year', opened_d), date_part('month', opened_d)))
), periods AS (
  SELECT ek, yr, mo, whole_year,
         coalesce(round(cp.a, 2), 0) AS avg_days, coalesce(round(cp.m::numeric, 2), 0) AS median_days,
         pg_temp.dm_pct(np.closed_now, np.notes) AS rate
  FROM cp FULL JOIN np USING (ek, yr, mo, whole_year)
), by_period AS (
  SELECT ek,
         (json_agg(json_build_object('year', yr, 'avg_days', avg_days, 'median_days', median_days, 'resolution_rate', rate)
                   ORDER BY yr) FILTER (WHERE whole_year = 1))::jsonb AS resolution_by_year,
         (json_agg(json_build_object('year', yr, 'month', mo, 'avg_days', avg_days, 'median_days', median_days,
                                     'resolution_rate', rate) ORDER BY yr, mo) FILTER (WHERE whole_year = 0))::jsonb AS resolution_by_month
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
