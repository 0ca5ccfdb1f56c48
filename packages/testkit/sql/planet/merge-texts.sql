-- Text of every action (empty string when the action had none), as Ingestion stores it.
INSERT INTO public.note_comments_text (note_id, sequence_action, body)
SELECT note_id::int, seq::int, e
FROM osmn_planet_rows
WHERE kind = 'c'
ORDER BY note_id::int, seq::int
ON CONFLICT (note_id, sequence_action) DO NOTHING;
