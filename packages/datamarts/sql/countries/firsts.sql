-- Family "firsts" for the countries (shared/firsts.sql), from the first and latest (time, note)
-- keys per action type in the countries' state (migration 0033).
DROP TABLE IF EXISTS dm_firsts;
CREATE TEMP TABLE dm_firsts AS
SELECT s.country_id AS ek,
       pg_temp.dm_key_day(min(s.min_key) FILTER (WHERE s.action_type = 'opened')) AS date_starting_creating_notes,
       pg_temp.dm_key_day(min(s.min_key) FILTER (WHERE s.action_type = 'closed')) AS date_starting_solving_notes,
       pg_temp.dm_key_note(min(s.min_key) FILTER (WHERE s.action_type = 'opened'))    AS first_open_note_id,
       pg_temp.dm_key_note(min(s.min_key) FILTER (WHERE s.action_type = 'commented')) AS first_commented_note_id,
       pg_temp.dm_key_note(min(s.min_key) FILTER (WHERE s.action_type = 'closed'))    AS first_closed_note_id,
       pg_temp.dm_key_note(min(s.min_key) FILTER (WHERE s.action_type = 'reopened'))  AS first_reopened_note_id,
       pg_temp.dm_key_note(max(s.max_key) FILTER (WHERE s.action_type = 'opened'))    AS latest_open_note_id,
       pg_temp.dm_key_note(max(s.max_key) FILTER (WHERE s.action_type = 'commented')) AS latest_commented_note_id,
       pg_temp.dm_key_note(max(s.max_key) FILTER (WHERE s.action_type = 'closed'))    AS latest_closed_note_id,
       pg_temp.dm_key_note(max(s.max_key) FILTER (WHERE s.action_type = 'reopened'))  AS latest_reopened_note_id
FROM dwh.datamart_country_actions s JOIN dm_scope e ON e.id = s.country_id
GROUP BY s.country_id;
