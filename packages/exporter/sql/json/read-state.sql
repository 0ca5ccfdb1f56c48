-- Which tree the rows' exported_at refers to (migration 0025).
SELECT manifest_blob_id, exported_at::text AS exported_at, mode FROM dwh.json_export_state WHERE export_name = 'json'
