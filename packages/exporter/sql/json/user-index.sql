-- indexes/users.json, in the original's order: history_whole_open, then history_whole_closed,
-- both descending, then user_id for a stable file. $1: lowest published user_id.
SELECT user_id, username, history_whole_open, history_whole_closed, history_year_open, history_year_closed,
       latest_open_note_id, latest_commented_note_id, latest_closed_note_id
FROM dwh.datamartusers
WHERE user_id >= $1
ORDER BY history_whole_open DESC, history_whole_closed DESC, user_id
