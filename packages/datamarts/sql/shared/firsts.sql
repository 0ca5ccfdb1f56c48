-- Family "firsts": first and latest note per action type (chronological: earliest / latest
-- action, ties by note id — never fact_id or surrogate date ids, §13 defect 9), first opening
-- and first closing dates, time of the latest action.
DROP TABLE IF EXISTS dm_firsts;
CREATE TEMP TABLE dm_firsts AS
-- The (time, note) key of each action: pg_temp.dm_action_key (concepts.sql).
WITH k AS (SELECT ek, ty, d, at, pg_temp.dm_action_key(at, id_note) AS key FROM dm_f)
SELECT ek,
       min(d) FILTER (WHERE ty = 'opened') AS date_starting_creating_notes,
       min(d) FILTER (WHERE ty = 'closed') AS date_starting_solving_notes,
       pg_temp.dm_key_note(min(key) FILTER (WHERE ty = 'opened'))    AS first_open_note_id,
       pg_temp.dm_key_note(min(key) FILTER (WHERE ty = 'commented')) AS first_commented_note_id,
       pg_temp.dm_key_note(min(key) FILTER (WHERE ty = 'closed'))    AS first_closed_note_id,
       pg_temp.dm_key_note(min(key) FILTER (WHERE ty = 'reopened'))  AS first_reopened_note_id,
       pg_temp.dm_key_note(max(key) FILTER (WHERE ty = 'opened'))    AS latest_open_note_id,
       pg_temp.dm_key_note(max(key) FILTER (WHERE ty = 'commented')) AS latest_commented_note_id,
       pg_temp.dm_key_note(max(key) FILTER (WHERE ty = 'closed'))    AS latest_closed_note_id,
       pg_temp.dm_key_note(max(key) FILTER (WHERE ty = 'reopened'))  AS latest_reopened_note_id,
       max(at) AS last_action_timestamp
FROM k
GROUP BY ek;
