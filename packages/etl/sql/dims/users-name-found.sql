-- A user first seen without a row in public.users (nameless) whose name is now known: fill
-- it in place; it is not a rename.
UPDATE dwh.dimension_users d
SET username = s.username, modified = true
FROM staging.etl_users s
WHERE d.user_id = s.user_id AND d.is_current AND d.username IS NULL AND s.username IS NOT NULL;
