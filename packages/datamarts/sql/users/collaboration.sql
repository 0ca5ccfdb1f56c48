-- Family "collaboration" (users): response time = average days from a note's opening to the
-- user's first comment or close on it, over notes opened by someone else (§13 defect 13: the
-- original measured the user's own notes); mentions given = the user's comments with a
-- mention; mentions received = comments with a mention written by others on notes the user
-- opened; replies = notes where the user commented after someone else's earlier comment;
-- score = the sum of the three counts. Also notes the user opened and never closed.
DROP TABLE IF EXISTS dm_collaboration;
CREATE TEMP TABLE dm_collaboration AS
WITH mine AS (
  SELECT ek, id_note,
         min(at) FILTER (WHERE ty IN ('commented', 'closed')) AS first_response,
         min(seq) FILTER (WHERE ty = 'commented') AS first_comment_seq,
         bool_or(ty = 'opened') AS opened_it, bool_or(ty = 'closed') AS closed_it,
         count(*) FILTER (WHERE ty = 'commented' AND men) AS mentions_given
  FROM dm_f GROUP BY ek, id_note
), note_rows AS (
  -- Every action of the notes the users in scope touched, with the actor's OSM id.
  SELECT f.id_note, f.sequence_action AS seq, f.action_at AS at, f.action_comment::text AS ty,
         du.user_id AS actor, f.has_mention AS men
  FROM dwh.facts f
  JOIN dwh.dimension_users du ON du.dimension_user_id = f.action_dimension_id_user
  WHERE f.id_note IN (SELECT id_note FROM mine) AND f.action_comment <> 'hidden'
), openings AS (
  SELECT DISTINCT ON (id_note) id_note, at AS opened_at, actor AS opener FROM note_rows WHERE ty = 'opened'
  ORDER BY id_note, seq
), first_comments AS (
  -- A user replied on a note when its first comment came before the user's first comment
  -- (then it was someone else's).
  SELECT id_note, min(seq) AS first_seq FROM note_rows WHERE ty = 'commented' GROUP BY id_note
), per_user AS (
  SELECT m.ek,
         avg(extract(epoch FROM (m.first_response - o.opened_at)) / 86400.0)
           FILTER (WHERE o.opener IS DISTINCT FROM m.ek AND m.first_response >= o.opened_at) AS response_days,
         count(*) FILTER (WHERE fc.first_seq < m.first_comment_seq) AS replies_count,
         count(*) FILTER (WHERE fc.first_seq = m.first_comment_seq) AS first_comments,
         sum(m.mentions_given) AS mentions_given,
         count(*) FILTER (WHERE m.opened_it AND NOT m.closed_it) AS opened_not_closed
  FROM mine m LEFT JOIN openings o USING (id_note) LEFT JOIN first_comments fc USING (id_note)
  GROUP BY m.ek
), received AS (
  SELECT o.opener AS ek, count(*) AS mentions_received
  FROM note_rows r JOIN openings o USING (id_note)
  WHERE r.ty = 'commented' AND r.men AND r.actor IS DISTINCT FROM o.opener
  GROUP BY o.opener
)
SELECT u.ek,
       coalesce(round(u.response_days::numeric, 2), 0) AS user_response_time,
       jsonb_build_object('mentions_given', u.mentions_given, 'mentions_received', coalesce(rc.mentions_received, 0),
                          'replies_count', u.replies_count,
                          'collaboration_score', u.mentions_given + coalesce(rc.mentions_received, 0) + u.replies_count)
         AS collaboration_patterns,
       u.opened_not_closed::integer AS notes_opened_but_not_closed_by_user,
       u.first_comments::integer AS first_comments
FROM per_user u LEFT JOIN received rc USING (ek);
