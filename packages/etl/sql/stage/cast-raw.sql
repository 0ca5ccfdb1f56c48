-- Separate ingestion database: the text rows COPYed into *_raw become typed staging rows.
-- Values that do not cast stay as NULL/text and are quarantined by the checks (bad_event,
-- null_created_at); a non-numeric key cannot come out of an integer column of the source.
INSERT INTO staging.etl_actions (note_id, sequence_action, event, created_at, id_user, body, has_text)
SELECT note_id::integer, sequence_action::integer, event,
       CASE WHEN created_at ~ '^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$' THEN created_at::timestamp END,
       id_user::integer, body, has_text::boolean
FROM staging.etl_actions_raw a
WHERE NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = a.note_id::integer AND f.sequence_action = a.sequence_action::integer);
