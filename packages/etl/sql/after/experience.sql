-- Experience level of users (dwh-etl §2.8, datamarts-export §6.4): the highest level whose
-- three minimums the user meets, from all of the user's actions (every dimension row, so a
-- renamed user keeps its history). The original only updated users whose level was NULL, and
-- then skipped them in datamarts. Two sources of totals, one rule:
--   $1 true (first and full runs): every user, from the staged delta, which is the whole
--     history then (every staged row becomes exactly one fact; rejected rows were removed),
--     so the step needs no facts and can run before the fact insert;
--   $1 false: the delta's actors incrementally, their totals plus the delta's openings and
--     closes, first/last activity widened (exact: every delta row became exactly one fact in
--     this transaction; re-aggregating the busiest users' whole history each run was the
--     slowest step of an incremental run), and, in full from their facts, the actors whose
--     current row has no totals yet (new users, a renamed user's new row).
WITH delta AS (
  SELECT id_user AS user_id,
         count(*) FILTER (WHERE event = 'opened')::integer AS opened,
         count(*) FILTER (WHERE event = 'closed')::integer AS closed,
         min(created_at)::date AS first_day,
         max(created_at)::date AS last_day
  FROM staging.etl_actions
  WHERE id_user IS NOT NULL
  GROUP BY id_user
), bulk AS (
  SELECT user_id, opened, closed, last_day - first_day AS days_active, last_day AS last_activity
  FROM delta
  WHERE $1::boolean AND user_id <> -1
), incremental AS (
  SELECT d.user_id,
         d.total_notes_opened + x.opened AS opened,
         d.total_notes_closed + x.closed AS closed,
         greatest(d.last_activity_date, x.last_day) - least(d.last_activity_date - d.days_active, x.first_day) AS days_active,
         greatest(d.last_activity_date, x.last_day) AS last_activity
  FROM dwh.dimension_users d
  JOIN delta x ON x.user_id = d.user_id
  WHERE NOT $1::boolean AND d.is_current AND d.total_notes_opened IS NOT NULL
), users_in_scope AS (
  SELECT d.user_id FROM dwh.dimension_users d
  WHERE NOT $1::boolean AND d.is_current AND d.total_notes_opened IS NULL
    AND d.user_id IN (SELECT id_user FROM staging.etl_actions WHERE id_user IS NOT NULL)
), full_history AS (
  SELECT du.user_id,
         count(*) FILTER (WHERE f.action_comment = 'opened')::integer AS opened,
         count(*) FILTER (WHERE f.action_comment = 'closed')::integer AS closed,
         (max(f.action_at)::date - min(f.action_at)::date) AS days_active,
         max(f.action_at)::date AS last_activity
  FROM dwh.dimension_users du
  JOIN dwh.facts f ON f.action_dimension_id_user = du.dimension_user_id
  WHERE du.user_id <> -1 AND du.user_id IN (SELECT user_id FROM users_in_scope)
  GROUP BY du.user_id
), stats AS (
  -- Disjoint: bulk, or current rows with totals vs. without.
  SELECT user_id, opened, closed, days_active, last_activity FROM bulk
  UNION ALL
  SELECT user_id, opened, closed, days_active, last_activity FROM incremental
  UNION ALL
  SELECT user_id, opened, closed, days_active, last_activity FROM full_history
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
