-- Notes: new ones inserted; known ones get the dump's status and closed_at, their country kept.
INSERT INTO public.notes (note_id, latitude, longitude, created_at, closed_at, status)
SELECT note_id::int, a::numeric, b::numeric, c::timestamp, d::timestamp, e::public.note_status_enum
FROM osmn_planet_rows
WHERE kind = 'n'
ON CONFLICT (note_id) DO UPDATE
SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at, update_time = CURRENT_TIMESTAMP
WHERE (notes.status, notes.closed_at) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.closed_at);
