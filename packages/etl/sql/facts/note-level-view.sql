-- The note-level fact columns (dwh-etl §3.2), for every action of the notes in the delta:
-- the delta's new actions and the facts those notes already have, in sequence_action order.
-- The one definition of these rules: facts/update-note-level.sql updates loaded facts from
-- it, facts/insert.sql inserts the new ones. New actions carry their payload (user, text,
-- note) through the windows, so the insert needs no second join of the delta with itself.
-- A temporary view on the run's transaction.
CREATE OR REPLACE TEMP VIEW etl_note_level AS
WITH acts AS (
  SELECT a.note_id, a.sequence_action, a.event, a.created_at AS action_at, false AS loaded, a.id_user, a.body
  FROM staging.etl_actions a
  UNION ALL
  SELECT f.id_note, f.sequence_action, f.action_comment::text, f.action_at, true, NULL, NULL
  FROM dwh.facts f
  -- = ANY(array): one index probe per note in each partition; an IN (subquery) lets the
  -- planner pick a scan of every fact instead.
  WHERE f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes))
), ordered AS (
  SELECT a.*, n.created_at AS note_created_at, n.latitude, n.longitude, n.id_country,
         n.created_at::date AS created_date, a.action_at::date AS action_date,
         (row_number() OVER upto - 1)::integer AS total_actions_on_note,
         coalesce(count(*) FILTER (WHERE a.event = 'commented') OVER before, 0)::integer AS total_comments_on_note,
         coalesce(count(*) FILTER (WHERE a.event = 'reopened') OVER before, 0)::integer AS total_reopenings_count,
         max(a.action_at::date) FILTER (WHERE a.event IN ('opened', 'reopened')) OVER upto AS recent_open_date,
         max(a.action_at::date) FILTER (WHERE a.event IN ('opened', 'reopened')) OVER before AS last_open_date,
         max(a.action_at::date) FILTER (WHERE a.event = 'reopened') OVER before AS last_reopen_date,
         -- The latest state-changing action before this one (1 opened, 2 reopened, 3 closed),
         -- packed with its sequence so that max() finds it: decides whether a close ends an
         -- open period (after an opening or reopening) or repeats a close.
         (max(a.sequence_action::bigint * 4 + CASE a.event WHEN 'opened' THEN 1 WHEN 'reopened' THEN 2 WHEN 'closed' THEN 3 END)
            FILTER (WHERE a.event IN ('opened', 'reopened', 'closed')) OVER before) % 4 AS previous_state
  FROM acts a
  JOIN staging.etl_notes n ON n.note_id = a.note_id
  WINDOW upto AS (PARTITION BY a.note_id ORDER BY a.sequence_action ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
         before AS (PARTITION BY a.note_id ORDER BY a.sequence_action ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), periods AS (
  SELECT o.*,
         -- Days this close ends of an open period: from the creation when nothing changed the
         -- state before, from the opening/reopening that started it, 0 for a repeated close.
         CASE WHEN o.event <> 'closed' THEN NULL
              WHEN o.previous_state IS NULL THEN o.action_date - o.created_date
              WHEN o.previous_state IN (1, 2) THEN o.action_date - coalesce(o.last_open_date, o.created_date)
              ELSE 0
         END AS open_period_days
  FROM ordered o
)
SELECT p.note_id, p.sequence_action, p.loaded, p.event, p.action_at, p.id_user, p.body,
       p.note_created_at, p.latitude, p.longitude, p.id_country,
       (date_part('year', coalesce(p.recent_open_date, p.created_date)) * 10000
        + date_part('month', coalesce(p.recent_open_date, p.created_date)) * 100
        + date_part('day', coalesce(p.recent_open_date, p.created_date)))::integer AS recent_opened_dimension_id_date,
       CASE WHEN p.event = 'closed' THEN p.action_date - p.created_date END AS days_to_resolution,
       CASE WHEN p.event = 'closed'
            THEN (sum(p.open_period_days) OVER (PARTITION BY p.note_id ORDER BY p.sequence_action
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))::integer
       END AS days_to_resolution_active,
       CASE WHEN p.event = 'closed' THEN p.action_date - p.last_reopen_date END AS days_to_resolution_from_reopen,
       p.total_comments_on_note, p.total_reopenings_count, p.total_actions_on_note
FROM periods p;
