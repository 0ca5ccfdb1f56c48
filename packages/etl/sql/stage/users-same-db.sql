-- $1 true: every user (first run: refresh the whole dimension); false: users of the delta,
-- plus users still nameless in the dimension (seen acting before public.users had them).
INSERT INTO staging.etl_users (user_id, username)
SELECT u.user_id, u.username
FROM public.users u
WHERE $1::boolean
   OR u.user_id IN (SELECT id_user FROM staging.etl_actions WHERE id_user IS NOT NULL)
   OR u.user_id IN (SELECT user_id FROM dwh.dimension_users WHERE is_current AND username IS NULL);
