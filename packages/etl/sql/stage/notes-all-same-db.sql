-- The notes of a bulk load (no lower bound: every base action up to the snapshot $1 is
-- staged), read from the base tables instead of the staged actions, so that it runs side by
-- side with the staging of the actions. The same rows as notes-same-db.sql then.
INSERT INTO staging.etl_notes (note_id, latitude, longitude, created_at, id_country)
SELECT n.note_id, n.latitude, n.longitude, n.created_at, n.id_country
FROM public.notes n
WHERE n.note_id <= $1 AND EXISTS (SELECT 1 FROM public.note_comments c WHERE c.note_id = n.note_id);
