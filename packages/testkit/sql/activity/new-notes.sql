-- $1 how many, $2 base time (timestamp text). New notes after the current max id, opened
-- within 15 minutes of $2 by random existing users (40 % anonymous), in random countries.
WITH base AS (
  SELECT coalesce(max(note_id), 0) AS max_id FROM public.notes
), countries AS (
  SELECT array_agg(country_id ORDER BY country_id) AS ids FROM public.countries
), users AS (
  SELECT array_agg(user_id ORDER BY user_id) AS ids FROM public.users
), fresh AS (
  SELECT b.max_id + g AS note_id,
         $2::timestamp + make_interval(secs => floor(random() * 900)) AS created_at,
         round((random() * 140 - 70)::numeric, 7) AS latitude,
         round((random() * 360 - 180)::numeric, 7) AS longitude,
         c.ids[1 + floor(random() * cardinality(c.ids))::integer] AS id_country,
         CASE WHEN random() < 0.4 THEN NULL ELSE u.ids[1 + floor(random() * cardinality(u.ids))::integer] END AS id_user
  FROM base b, countries c, users u, generate_series(1, $1::integer) AS g
), notes AS (
  INSERT INTO public.notes (note_id, latitude, longitude, created_at, status, id_country)
  SELECT note_id, latitude, longitude, created_at, 'open', id_country FROM fresh
), actions AS (
  INSERT INTO public.note_comments (note_id, sequence_action, event, created_at, id_user)
  SELECT note_id, 1, 'opened', created_at, id_user FROM fresh
)
INSERT INTO public.note_comments_text (note_id, sequence_action, body)
SELECT note_id, 1, 'New shop here via StreetComplete 58.1 #survey' FROM fresh;
