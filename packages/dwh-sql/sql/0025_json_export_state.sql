-- State of the JSON export (@osm-notes/exporter). The rows' exported_at (0016–0018) says which
-- datamart rows the last successful export carried; this row says WHICH tree that was:
-- manifest_blob_id is the git blob id of the .manifest.json the export swapped in. An
-- incremental export (only rows with updated_at > exported_at) is correct only on top of that
-- very tree; a different, deleted or hand-edited output directory has another manifest, so the
-- exporter falls back to a full export instead of silently missing changes.
-- Written in the same transaction as the rows' exported_at, after the swap succeeded.
CREATE TABLE dwh.json_export_state (
  export_name       varchar(16) NOT NULL PRIMARY KEY CHECK (export_name = 'json'),
  manifest_blob_id  char(40)    NOT NULL,
  exported_at       timestamp   NOT NULL,
  mode              varchar(11) NOT NULL CHECK (mode IN ('full', 'incremental')),
  documents_written integer     NOT NULL,
  documents_deleted integer     NOT NULL
);
