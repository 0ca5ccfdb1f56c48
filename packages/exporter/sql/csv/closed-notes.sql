-- Closed notes per country for csv/notes-by-country (datamarts-export §9), one row per note
-- that is closed now, ordered by country then most recent close first, at most $1 per country.
-- Differences from the original, on purpose: opened_at is the note's real creation time (the
-- original printed 00:00:00), comments keep their text (newlines, quotes; the writer quotes
-- them per RFC 4180) and are only cut at 2000 characters, names are the users' current ones
-- from the dwh (else 'Unknown'), total_comments counts the note's actions as the original did.
-- Needs the base tables (public.notes, note_comments, note_comments_text) in this database.
WITH last_close AS (
  -- The note's latest close (the original: DISTINCT ON id_note, highest fact_id).
  SELECT DISTINCT ON (f.id_note)
         f.id_note, f.sequence_action, f.dimension_id_country, f.action_at, f.days_to_resolution,
         f.action_dimension_id_user, f.opened_dimension_id_user
  FROM dwh.facts f
  WHERE f.action_comment = 'closed'
  ORDER BY f.id_note, f.action_at DESC, f.fact_id DESC
), per_note AS (
  SELECT f.id_note,
         count(*) FILTER (WHERE f.action_comment IN ('opened', 'commented', 'closed', 'reopened'))::integer AS total_comments,
         (count(*) FILTER (WHERE f.action_comment = 'reopened') > 0)::integer AS was_reopened
  FROM dwh.facts f
  WHERE f.id_note IN (SELECT id_note FROM last_close)
  GROUP BY f.id_note
), ranked AS (
  SELECT lc.*, row_number() OVER (PARTITION BY lc.dimension_id_country ORDER BY lc.action_at DESC, lc.id_note DESC) AS rn
  FROM last_close lc
  JOIN dwh.note_current_status s ON s.id_note = lc.id_note AND NOT s.is_currently_open
)
SELECT c.country_id,
       r.id_note AS note_id,
       coalesce(c.country_name, c.country_name_en, 'Unknown') AS country_name,
       n.latitude::text AS latitude,
       n.longitude::text AS longitude,
       to_char(n.created_at, 'YYYY-MM-DD HH24:MI:SS') AS opened_at,
       to_char(r.action_at, 'YYYY-MM-DD HH24:MI:SS') AS closed_at,
       coalesce(r.days_to_resolution, 0) AS days_to_resolution,
       coalesce(uo.username, 'Unknown') AS opened_by_username,
       coalesce(left(ot.body, 2000), '') AS opening_comment,
       coalesce(p.total_comments, 0) AS total_comments,
       coalesce(p.was_reopened, 0) AS was_reopened,
       coalesce(uc.username, 'Unknown') AS closed_by_username,
       coalesce(left(ct.body, 2000), '') AS closing_comment
FROM ranked r
JOIN dwh.dimension_countries c ON c.dimension_country_id = r.dimension_id_country
JOIN public.notes n ON n.note_id = r.id_note
LEFT JOIN per_note p ON p.id_note = r.id_note
-- Current names: the dimension row of the action gives the OSM user id, its current row the name.
LEFT JOIN dwh.dimension_users uo0 ON uo0.dimension_user_id = r.opened_dimension_id_user
LEFT JOIN dwh.dimension_users uo ON uo.user_id = uo0.user_id AND uo.is_current AND uo.user_id <> -1
LEFT JOIN dwh.dimension_users uc0 ON uc0.dimension_user_id = r.action_dimension_id_user
LEFT JOIN dwh.dimension_users uc ON uc.user_id = uc0.user_id AND uc.is_current AND uc.user_id <> -1
LEFT JOIN LATERAL (
  SELECT t.body FROM public.note_comments nc
  JOIN public.note_comments_text t ON t.note_id = nc.note_id AND t.sequence_action = nc.sequence_action
  WHERE nc.note_id = r.id_note AND nc.event = 'opened'
  ORDER BY nc.sequence_action LIMIT 1
) ot ON true
LEFT JOIN public.note_comments_text ct ON ct.note_id = r.id_note AND ct.sequence_action = r.sequence_action
WHERE r.rn <= $1
ORDER BY c.country_id, r.action_at DESC, r.id_note DESC
