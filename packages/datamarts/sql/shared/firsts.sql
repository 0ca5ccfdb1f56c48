-- Family "firsts": first and latest note per action type (chronological: earliest / latest
-- action, ties by note id — never fact_id or surrogate date ids, §13 defect 9), first opening
-- and first closing dates, time of the latest action.
DROP TABLE IF EXISTS dm_firsts;
CREATE TEMP TABLE dm_firsts AS
WITH k AS (SELECT ek, ty, d, at, ARRAY[extract(epoch FROM at)::bigint, id_note::bigint] AS key FROM dm_f)
SELECT ek,
       min(d) FILTER (WHERE ty = 'opened') AS date_starting_creating_notes,
       min(d) FILTER (WHERE ty = 'closed') AS date_starting_solving_notes,
       (min(key) FILTER (WHERE ty = 'opened'))[2]::integer    AS first_open_note_id,
       (min(key) FILTER (WHERE ty = 'commented'))[2]::integer AS first_commented_note_id,
       (min(key) FILTER (WHERE ty = 'closed'))[2]::integer    AS first_closed_note_id,
       (min(key) FILTER (WHERE ty = 'reopened'))[2]::integer  AS first_reopened_note_id,
       (max(key) FILTER (WHERE ty = 'opened'))[2]::integer    AS latest_open_note_id,
       (max(key) FILTER (WHERE ty = 'commented'))[2]::integer AS latest_commented_note_id,
       (max(key) FILTER (WHERE ty = 'closed'))[2]::integer    AS latest_closed_note_id,
       (max(key) FILTER (WHERE ty = 'reopened'))[2]::integer  AS latest_reopened_note_id,
       max(at) AS last_action_timestamp
FROM k
GROUP BY ek;
