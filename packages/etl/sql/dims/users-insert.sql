-- A current row for every user of the delta without one: users of public.users, and user ids
-- that act but are missing from public.users (username NULL; counted as a warning) — the
-- original left those facts without a user, so they vanished from every user metric.
INSERT INTO dwh.dimension_users (user_id, username, modified, valid_from, is_current)
SELECT u.user_id, u.username, true, now() AT TIME ZONE 'UTC', true
FROM (
  SELECT user_id, username FROM staging.etl_users
  UNION ALL
  SELECT DISTINCT a.id_user, NULL FROM staging.etl_actions a
  WHERE a.id_user IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staging.etl_users s WHERE s.user_id = a.id_user)
) u
WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_users d WHERE d.user_id = u.user_id AND d.is_current)
ORDER BY u.user_id;
