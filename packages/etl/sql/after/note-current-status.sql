-- Open or closed now, for every note of the delta (dwh-etl §4): from the latest
-- opened/closed/reopened fact (by action_at, ties by sequence); `hidden` is not a state change.
-- Also when the note was opened and the sequences of its first comment and last reopening
-- (migration 0040).
-- $1 true: every note (bulk loads scan all facts once instead of probing per note; the table
-- is empty then, and its secondary indexes are built after, see load.ts). The firsts
-- are a second pass over the facts: one pass with window aggregates over the sorted facts
-- (comments included) was not faster at 1 M notes (22–27 s against 23–24 s).
WITH latest AS (
  SELECT DISTINCT ON (f.id_note)
         f.id_note, f.dimension_id_country, f.opened_dimension_id_user, f.opened_dimension_id_date,
         f.action_comment IN ('opened', 'reopened') AS is_currently_open, f.action_at, f.action_comment
  FROM dwh.facts f
  WHERE ($1::boolean OR f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes)))
    AND f.action_comment IN ('opened', 'closed', 'reopened')
  ORDER BY f.id_note, f.action_at DESC, f.sequence_action DESC
), firsts AS (
  SELECT f.id_note,
         min(f.action_at) FILTER (WHERE f.action_comment = 'opened') AS opened_at,
         min(f.sequence_action) FILTER (WHERE f.action_comment = 'commented') AS first_comment_seq,
         max(f.sequence_action) FILTER (WHERE f.action_comment = 'reopened') AS last_reopen_seq
  FROM dwh.facts f
  WHERE ($1::boolean OR f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes)))
    AND f.action_comment IN ('opened', 'commented', 'reopened')
  GROUP BY f.id_note
)
INSERT INTO dwh.note_current_status AS s
  (id_note, dimension_id_country, opened_dimension_id_user, opened_dimension_id_date,
   is_currently_open, last_action_at, last_action_type, last_updated, opened_at, first_comment_seq,
   last_reopen_seq)
SELECT l.id_note, l.dimension_id_country, l.opened_dimension_id_user, l.opened_dimension_id_date,
       l.is_currently_open, l.action_at, l.action_comment, now() AT TIME ZONE 'UTC', fi.opened_at, fi.first_comment_seq,
       fi.last_reopen_seq
FROM latest l LEFT JOIN firsts fi USING (id_note)
-- In key order: the primary key is then filled page after page. In the join's hash order, a
-- bulk load's insert of 1 M notes took 18.1 s instead of 9.8 s.
ORDER BY l.id_note
ON CONFLICT (id_note) DO UPDATE
SET dimension_id_country = EXCLUDED.dimension_id_country,
    opened_dimension_id_user = EXCLUDED.opened_dimension_id_user,
    opened_dimension_id_date = EXCLUDED.opened_dimension_id_date,
    is_currently_open = EXCLUDED.is_currently_open,
    last_action_at = EXCLUDED.last_action_at,
    last_action_type = EXCLUDED.last_action_type,
    last_updated = EXCLUDED.last_updated,
    opened_at = EXCLUDED.opened_at,
    first_comment_seq = EXCLUDED.first_comment_seq,
    last_reopen_seq = EXCLUDED.last_reopen_seq
WHERE (s.is_currently_open, s.last_action_at, s.last_action_type, s.dimension_id_country, s.opened_dimension_id_user,
       s.opened_at, s.first_comment_seq, s.last_reopen_seq)
      IS DISTINCT FROM
      (EXCLUDED.is_currently_open, EXCLUDED.last_action_at, EXCLUDED.last_action_type, EXCLUDED.dimension_id_country,
       EXCLUDED.opened_dimension_id_user, EXCLUDED.opened_at, EXCLUDED.first_comment_seq, EXCLUDED.last_reopen_seq);
