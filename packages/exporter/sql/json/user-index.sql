-- indexes/users.json, in the original's order: history_whole_open, then history_whole_closed,
-- both descending, then user_id for a stable file. $1: lowest published user_id.
-- Rows of 1 000 positional tuples as JSON text (columns in USER_INDEX_COLUMNS order,
-- datamart-export-source.ts), not 235 000 rows of 9 fields: decoding the fields one by one
-- took 2.3 s of the exporter's CPU at 1 M notes, these 236 rows 0.06 s. Chunks rather than
-- one 77 MB value keep every message and string small (no measurable time difference).
SELECT json_agg(tuple ORDER BY ord)::text AS tuples
FROM (
  SELECT json_build_array(user_id, username, history_whole_open, history_whole_closed, history_year_open,
                          history_year_closed, latest_open_note_id, latest_commented_note_id, latest_closed_note_id) AS tuple,
         row_number() OVER (ORDER BY history_whole_open DESC, history_whole_closed DESC, user_id) AS ord
  FROM dwh.datamartusers
  WHERE user_id >= $1
) t
GROUP BY (ord - 1) / 1000
ORDER BY (ord - 1) / 1000
