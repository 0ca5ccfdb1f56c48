-- Experience level of users (dwh-etl §2.8, datamarts-export §6.4): the highest level whose
-- three minimums the user meets, from all of the user's actions (every dimension row, so a
-- renamed user keeps its history). $1 true: every user (first and full runs, one pass over all
-- facts); false: the delta's actors whose current row has no totals yet (new users, renamed
-- users' new rows) — the others were brought up to date by after/experience-delta.sql.
-- The original only updated users whose level was NULL, and then skipped them in datamarts.
WITH users_in_scope AS (
  SELECT d.user_id FROM dwh.dimension_users d
  WHERE NOT $1::boolean AND d.is_current AND d.total_notes_opened IS NULL
    AND d.user_id IN (SELECT id_user FROM staging.etl_actions WHERE id_user IS NOT NULL)
), stats AS (
  SELECT du.user_id,
         count(*) FILTER (WHERE f.action_comment = 'opened')::integer AS opened,
         count(*) FILTER (WHERE f.action_comment = 'closed')::integer AS closed,
         (max(f.action_at)::date - min(f.action_at)::date) AS days_active,
         max(f.action_at)::date AS last_activity
  FROM dwh.dimension_users du
  JOIN dwh.facts f ON f.action_dimension_id_user = du.dimension_user_id
  WHERE du.user_id <> -1 AND ($1::boolean OR du.user_id IN (SELECT user_id FROM users_in_scope))
  GROUP BY du.user_id
)
UPDATE dwh.dimension_users d
SET experience_level_id = lvl.dimension_experience_id,
    total_notes_opened = s.opened,
    total_notes_closed = s.closed,
    days_active = s.days_active,
    resolution_ratio = CASE WHEN s.opened = 0 THEN 0 ELSE round(least(100, s.closed * 100.0 / s.opened), 2) END,
    last_activity_date = s.last_activity,
    experience_calculated_at = now() AT TIME ZONE 'UTC'
FROM stats s
CROSS JOIN LATERAL (
  SELECT l.dimension_experience_id FROM dwh.dimension_experience_levels l
  WHERE s.opened >= l.min_notes_opened AND s.closed >= l.min_notes_closed AND s.days_active >= l.min_days_active
  ORDER BY l.level_order DESC LIMIT 1
) lvl
WHERE d.user_id = s.user_id AND d.is_current;
