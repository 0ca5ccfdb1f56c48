INSERT INTO staging.etl_notes (note_id, latitude, longitude, created_at, id_country)
SELECT n.note_id, n.latitude, n.longitude, n.created_at, n.id_country
FROM public.notes n
WHERE n.note_id IN (SELECT note_id FROM staging.etl_actions);
