-- Experience of the delta's actors (dwh-etl §2.8), incrementally: their totals plus the
-- delta's openings and closes, first/last activity widened. Exact because every delta row
-- became exactly one fact in this transaction; the busiest users act in every run, and
-- re-aggregating their whole history each time was the slowest step of an incremental run.
-- Rows without totals yet (new users, the new row of a renamed user) are left to
-- after/experience.sql, which aggregates their facts in full.
WITH delta AS (
  SELECT id_user AS user_id,
         count(*) FILTER (WHERE event = 'opened')::integer AS opened,
         count(*) FILTER (WHERE event = 'closed')::integer AS closed,
         min(created_at)::date AS first_day,
         max(created_at)::date AS last_day
  FROM staging.etl_actions
  WHERE id_user IS NOT NULL
  GROUP BY id_user
), totals AS (
  SELECT d.dimension_user_id,
         d.total_notes_opened + x.opened AS opened,
         d.total_notes_closed + x.closed AS closed,
         greatest(d.last_activity_date, x.last_day) - least(d.last_activity_date - d.days_active, x.first_day) AS days_active,
         greatest(d.last_activity_date, x.last_day) AS last_activity
  FROM dwh.dimension_users d
  JOIN delta x ON x.user_id = d.user_id
  WHERE d.is_current AND d.total_notes_opened IS NOT NULL
)
UPDATE dwh.dimension_users d
SET experience_level_id = lvl.dimension_experience_id,
    total_notes_opened = t.opened,
    total_notes_closed = t.closed,
    days_active = t.days_active,
    resolution_ratio = CASE WHEN t.opened = 0 THEN 0 ELSE round(least(100, t.closed * 100.0 / t.opened), 2) END,
    last_activity_date = t.last_activity,
    experience_calculated_at = now() AT TIME ZONE 'UTC'
FROM totals t
CROSS JOIN LATERAL (
  SELECT l.dimension_experience_id FROM dwh.dimension_experience_levels l
  WHERE t.opened >= l.min_notes_opened AND t.closed >= l.min_notes_closed AND t.days_active >= l.min_days_active
  ORDER BY l.level_order DESC LIMIT 1
) lvl
WHERE d.dimension_user_id = t.dimension_user_id;
