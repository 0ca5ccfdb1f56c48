-- Actions: (note_id, sequence_action) is stable (position in the note), so a newer dump only
-- adds the actions that are new.
INSERT INTO public.note_comments (note_id, sequence_action, event, created_at, id_user)
SELECT note_id::int, seq::int, a::public.note_event_enum, b::timestamp, c::int
FROM osmn_planet_rows
WHERE kind = 'c'
ORDER BY note_id::int, seq::int
ON CONFLICT (note_id, sequence_action) DO NOTHING;
