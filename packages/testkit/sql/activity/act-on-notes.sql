-- $1 how many, $2 base time, $3 event ('closed', 'commented' or 'reopened'). Picks random
-- notes in the state the event needs and appends the action after their last one.
WITH users AS (
  SELECT array_agg(user_id ORDER BY user_id) AS ids FROM public.users
), picked AS (
  SELECT n.note_id FROM public.notes n
  WHERE CASE $3::text WHEN 'closed' THEN n.status = 'open' WHEN 'reopened' THEN n.status = 'close' ELSE true END
  ORDER BY random() LIMIT $1::integer
), next AS (
  SELECT p.note_id, max(c.sequence_action) + 1 AS sequence_action,
         greatest(max(c.created_at) + interval '1 second', $2::timestamp + make_interval(secs => floor(random() * 900))) AS created_at
  FROM picked p JOIN public.note_comments c ON c.note_id = p.note_id
  GROUP BY p.note_id
), actions AS (
  INSERT INTO public.note_comments (note_id, sequence_action, event, created_at, id_user)
  SELECT x.note_id, x.sequence_action, $3::public.note_event_enum, x.created_at,
         CASE WHEN $3::text = 'commented' AND random() < 0.27 THEN NULL ELSE u.ids[1 + floor(random() * cardinality(u.ids))::integer] END
  FROM next x, users u
  RETURNING note_id, sequence_action, created_at
), status AS (
  UPDATE public.notes n
  SET status = CASE $3::text WHEN 'closed' THEN 'close'::public.note_status_enum WHEN 'reopened' THEN 'open' ELSE n.status END,
      closed_at = CASE $3::text WHEN 'closed' THEN a.created_at WHEN 'reopened' THEN NULL ELSE n.closed_at END
  FROM actions a WHERE n.note_id = a.note_id
)
INSERT INTO public.note_comments_text (note_id, sequence_action, body)
SELECT note_id, sequence_action, CASE $3::text WHEN 'closed' THEN 'fixed' WHEN 'commented' THEN 'still there?' ELSE '' END
FROM actions;
