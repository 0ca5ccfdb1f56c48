-- The order of indexes/users.json (history_whole_open, then history_whole_closed, both
-- descending, then user_id: exporter sql/json/user-index*.sql) as an index, so an
-- incremental export reads it with an index-only scan instead of scanning the wide table
-- and sorting 235 000 rows (at 1 M notes: 0.46 s of server time → 0.09 s, on the export's
-- critical path). No contract change for consumers.

CREATE INDEX datamartusers_index_order
  ON dwh.datamartusers (history_whole_open DESC, history_whole_closed DESC, user_id);
