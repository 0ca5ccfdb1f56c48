-- indexes/users.json, in the original's order: history_whole_open, then history_whole_closed,
-- both descending, then user_id for a stable file. $1: lowest published user_id.
-- One JSON text of positional tuples (columns in USER_INDEX_COLUMNS order, datamart-export-source.ts)
-- instead of 235 000 rows of 9 fields: decoding the fields one by one took 2.3 s of the
-- exporter's CPU at 1 M notes, JSON.parse of the tuples about 0.2 s.
SELECT coalesce(json_agg(json_build_array(
         user_id, username, history_whole_open, history_whole_closed, history_year_open, history_year_closed,
         latest_open_note_id, latest_commented_note_id, latest_closed_note_id)
       ORDER BY history_whole_open DESC, history_whole_closed DESC, user_id), '[]')::text AS tuples
FROM dwh.datamartusers
WHERE user_id >= $1
