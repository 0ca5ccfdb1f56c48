-- Experience level of users (dwh-etl §2.8, datamarts-export §6.4): the highest level whose
-- three minimums the user meets, from all of the user's actions (every dimension row, so a
-- renamed user keeps its history). $1 run id; $2 true: every user (first and full runs),
-- false: the users this run touched. The original only updated users whose level was NULL.
WITH users_in_scope AS (
  SELECT user_id FROM dwh.dimension_users WHERE $2::boolean AND is_current AND user_id <> -1
  UNION
  SELECT entity_id FROM dwh.etl_run_touched WHERE NOT $2::boolean AND run_id = $1 AND entity = 'user'
), stats AS (
  SELECT du.user_id,
         count(*) FILTER (WHERE f.action_comment = 'opened')::integer AS opened,
         count(*) FILTER (WHERE f.action_comment = 'closed')::integer AS closed,
         (max(f.action_at)::date - min(f.action_at)::date) AS days_active,
         max(f.action_at)::date AS last_activity
  FROM dwh.dimension_users du
  JOIN dwh.facts f ON f.action_dimension_id_user = du.dimension_user_id
  WHERE du.user_id IN (SELECT user_id FROM users_in_scope)
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
