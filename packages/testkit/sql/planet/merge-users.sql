-- Users: the name seen on each uid's most recent action (a rename updates the row).
INSERT INTO public.users (user_id, username)
SELECT DISTINCT ON (c::int) c::int, d
FROM osmn_planet_rows
WHERE kind = 'c' AND c IS NOT NULL
ORDER BY c::int, b::timestamp DESC, note_id::int DESC, seq::int DESC
ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username
WHERE users.username IS DISTINCT FROM EXCLUDED.username;
