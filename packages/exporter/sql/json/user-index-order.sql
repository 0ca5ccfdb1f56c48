-- The order of indexes/users.json (as json/user-index.sql: history_whole_open, then
-- history_whole_closed, both descending, then user_id) as one comma-separated list of user ids,
-- for an incremental export that patches the current tree's index (_user-index-patch.ts):
-- 1.6 MB instead of 77 MB of tuples at 1 M notes. $1: lowest published user_id.
SELECT coalesce(string_agg(user_id::text, ',' ORDER BY history_whole_open DESC, history_whole_closed DESC, user_id), '') AS ids
FROM dwh.datamartusers
WHERE user_id >= $1
