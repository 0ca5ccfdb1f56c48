-- Notes: new ones inserted with the country assigned during the read (if any); known ones get
-- the dump's status and closed_at. A known note's id_country is only filled when it is NULL:
-- an id that Ingestion (PostGIS boundaries) or an earlier load assigned is kept.
INSERT INTO public.notes (note_id, latitude, longitude, created_at, closed_at, status, id_country)
SELECT note_id::int, a::numeric, b::numeric, c::timestamp, d::timestamp, e::public.note_status_enum, f::int
FROM osmn_planet_rows
WHERE kind = 'n'
ON CONFLICT (note_id) DO UPDATE
SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at,
    id_country = COALESCE(notes.id_country, EXCLUDED.id_country), update_time = CURRENT_TIMESTAMP
WHERE (notes.status, notes.closed_at) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.closed_at)
   OR (notes.id_country IS NULL AND EXCLUDED.id_country IS NOT NULL);
