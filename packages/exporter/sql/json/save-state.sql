-- Records the tree just swapped in, in the same transaction as the rows' exported_at.
-- $1 manifest blob id, $2 mode, $3 documents written, $4 documents deleted.
INSERT INTO dwh.json_export_state (export_name, manifest_blob_id, exported_at, mode, documents_written, documents_deleted)
VALUES ('json', $1, now() AT TIME ZONE 'UTC', $2, $3, $4)
ON CONFLICT (export_name) DO UPDATE SET manifest_blob_id = EXCLUDED.manifest_blob_id, exported_at = EXCLUDED.exported_at,
  mode = EXCLUDED.mode, documents_written = EXCLUDED.documents_written, documents_deleted = EXCLUDED.documents_deleted
