INSERT INTO staging.etl_notes (note_id, latitude, longitude, created_at, id_country)
SELECT note_id::integer, latitude::numeric, longitude::numeric, created_at::timestamp, id_country::integer
FROM staging.etl_notes_raw
WHERE note_id::integer IN (SELECT note_id FROM staging.etl_actions);
