-- Country health (§4.2), from the stored row after the build or the daily pass:
--   backlog_ratio = still open / openings × 100; recent = 100 when created_30 > 0 and
--   resolved_30 >= created_30, resolved_30 / created_30 × 100 when created_30 > 0, and with
--   nothing created: 100 if nothing is open, else 0;
--   score = 0.4·resolution_rate + 0.3·(100 − min(backlog_ratio, 100)) + 0.3·recent;
--   new_vs_resolved = min(created_30 / resolved_30, 999.99); 999.99 if only created; else 0.
UPDATE dwh.datamartcountries c
SET notes_health_score = x.score, new_vs_resolved_ratio = x.ratio, updated_at = (clock_timestamp() AT TIME ZONE 'UTC')
FROM (
  SELECT c2.country_id,
         round(0.4 * c2.resolution_rate
               + 0.3 * (100 - least(CASE WHEN c2.history_whole_open > 0
                                         THEN c2.notes_still_open_count * 100.0 / c2.history_whole_open ELSE 0 END, 100))
               + 0.3 * (CASE WHEN c2.notes_created_last_30_days > 0 THEN
                               least(c2.notes_resolved_last_30_days * 100.0 / c2.notes_created_last_30_days, 100)
                             WHEN c2.notes_still_open_count = 0 THEN 100 ELSE 0 END), 2)::numeric(5,2) AS score,
         (CASE WHEN c2.notes_resolved_last_30_days > 0
               THEN least(round(c2.notes_created_last_30_days::numeric / c2.notes_resolved_last_30_days, 2), 999.99)
               WHEN c2.notes_created_last_30_days > 0 THEN 999.99 ELSE 0 END)::numeric(5,2) AS ratio
  FROM dwh.datamartcountries c2 JOIN dm_scope s ON s.id = c2.country_id
) x
WHERE c.country_id = x.country_id
  AND (c.notes_health_score, c.new_vs_resolved_ratio) IS DISTINCT FROM (x.score, x.ratio);
