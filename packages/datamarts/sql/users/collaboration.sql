-- Family "collaboration" (users): response time = average days from a note's opening to the
-- user's first comment or close on it, over notes opened by someone else (§13 defect 13: the
-- original measured the user's own notes); mentions given = the user's comments with a
-- mention; mentions received = comments with a mention written by others on notes the user
-- opened (users/mentions_received.sql); replies = notes where the user commented after
-- someone else's earlier comment; score = the sum of the three counts. Also notes the user
-- opened and never closed, and notes where the user wrote the first comment (badge First
-- Responder).
-- Work tables with statistics, so the planner picks a hash join for a full build: of the join
-- and grouping keys only (the other columns are only aggregated). All 7 columns of dm_mine
-- took ANALYZE 52 ms for the 21 000 rows of a touched build at 1 M notes, its 2 keys 20 ms.
DROP TABLE IF EXISTS dm_mine;
CREATE TEMP TABLE dm_mine AS
SELECT ek, id_note,
         min(at) FILTER (WHERE ty IN ('commented', 'closed')) AS first_response,
         min(seq) FILTER (WHERE ty = 'commented') AS first_comment_seq,
         bool_or(ty = 'opened') AS opened_it, bool_or(ty = 'closed') AS closed_it,
         count(*) FILTER (WHERE ty = 'commented' AND men) AS mentions_given
  FROM dm_f GROUP BY ek, id_note;
ANALYZE dm_mine (ek, id_note);
DROP TABLE IF EXISTS dm_mine_notes;
CREATE TEMP TABLE dm_mine_notes AS SELECT DISTINCT id_note FROM dm_mine;
ANALYZE dm_mine_notes;

-- Per note the users in scope acted on: its opening time, opener and first comment, kept by
-- the ETL with the note's status (migration 0040). The opener is only compared with the user
-- who acted: it is the opener's OSM id when the opener is in scope (dm_dims holds every name
-- row of each user in scope), NULL otherwise (someone else either way), so no lookup in all
-- users' rows (in a touched build, 21 000 lookups by key at 1 M notes). Many notes (a full
-- build): one scan of the statuses; a few: all their ids in one array, one index scan in key
-- order (21 000 notes: 0.03 s, against 0.08 s looked up one by one). Only one branch runs.
DROP TABLE IF EXISTS dm_note_ctx;
CREATE TEMP TABLE dm_note_ctx AS
SELECT mn.id_note, s.opened_at, o.user_id AS opener, s.first_seq, s.id_note IS NOT NULL AS has_status
FROM dm_mine_notes mn
LEFT JOIN (
  SELECT s.id_note, s.opened_at, s.opened_dimension_id_user AS opener_dim, s.first_comment_seq AS first_seq
  FROM dwh.note_current_status s
  WHERE (SELECT count(*) FROM dm_mine_notes) > 100000
  UNION ALL
  SELECT s.id_note, s.opened_at, s.opened_dimension_id_user, s.first_comment_seq
  FROM dwh.note_current_status s
  WHERE (SELECT count(*) FROM dm_mine_notes) <= 100000
    AND s.id_note = ANY (ARRAY(SELECT mn.id_note FROM dm_mine_notes mn))
) s ON s.id_note = mn.id_note
LEFT JOIN dm_dims o ON o.dimension_user_id = s.opener_dim;
-- A note with no opening, close or reopening loaded has no status row: from its facts. Marked
-- above (has_status) rather than found again by an anti-join of every note with every row
-- (0.4 s in a full build's users' main part at 1 M notes, for none).
UPDATE dm_note_ctx c SET opened_at = x.opened_at, opener = x.opener, first_seq = x.first_seq
FROM (SELECT f.id_note, min(f.action_at) FILTER (WHERE f.action_comment = 'opened') AS opened_at,
             min(o.user_id) AS opener, min(f.sequence_action) FILTER (WHERE f.action_comment = 'commented') AS first_seq
      FROM dwh.facts f
      LEFT JOIN dm_dims o ON o.dimension_user_id = f.opened_dimension_id_user
      WHERE f.id_note = ANY (ARRAY(SELECT n.id_note FROM dm_note_ctx n WHERE NOT n.has_status))
      GROUP BY f.id_note) x
WHERE c.id_note = x.id_note;
ANALYZE dm_note_ctx (id_note);

DROP TABLE IF EXISTS dm_collaboration;
CREATE TEMP TABLE dm_collaboration AS
WITH per_user AS (
  SELECT m.ek,
         avg(extract(epoch FROM (m.first_response - c.opened_at)) / 86400.0)
           FILTER (WHERE c.opener IS DISTINCT FROM m.ek AND m.first_response >= c.opened_at) AS response_days,
         -- The note's first comment came before the user's first one: someone else's.
         count(*) FILTER (WHERE c.first_seq < m.first_comment_seq) AS replies_count,
         count(*) FILTER (WHERE c.first_seq = m.first_comment_seq) AS first_comments,
         sum(m.mentions_given) AS mentions_given,
         count(*) FILTER (WHERE m.opened_it AND NOT m.closed_it) AS opened_not_closed
  FROM dm_mine m
  JOIN dm_note_ctx c USING (id_note)
  GROUP BY m.ek
)
SELECT u.ek,
       coalesce(round(u.response_days::numeric, 2), 0) AS user_response_time,
       jsonb_build_object('mentions_given', u.mentions_given, 'mentions_received', coalesce(rc.mentions_received, 0),
                          'replies_count', u.replies_count,
                          'collaboration_score', u.mentions_given + coalesce(rc.mentions_received, 0) + u.replies_count)
         AS collaboration_patterns,
       u.opened_not_closed::integer AS notes_opened_but_not_closed_by_user,
       u.first_comments::integer AS first_comments
FROM per_user u LEFT JOIN dm_received rc USING (ek);
