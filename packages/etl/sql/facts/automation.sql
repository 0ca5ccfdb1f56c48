-- Automation level of each user of the delta (dwh-etl §2.8), measured relative to the
-- user's own latest action (the original used NOW(), so a first load of history marked
-- nobody). Signals over the user's actions (delta and loaded facts): velocity and geography
-- of openings in the last 24 h, distinct hours per active day in the last 7 days, and the
-- action mix of the last 30 days. The level is written onto the user's facts of this run.
-- $1 true (bulk runs): facts are empty, the loaded-facts branch is skipped outright.
INSERT INTO staging.etl_automation (user_id, score, level)
WITH delta_users AS (
  SELECT DISTINCT id_user AS user_id FROM staging.etl_actions WHERE id_user IS NOT NULL
), acts AS (
  SELECT a.id_user AS user_id, a.event, a.created_at AS at, n.id_country AS country
  FROM staging.etl_actions a JOIN staging.etl_notes n ON n.note_id = a.note_id
  WHERE a.id_user IS NOT NULL
  UNION ALL
  SELECT du.user_id, f.action_comment::text, f.action_at, f.dimension_id_country
  FROM dwh.dimension_users du
  JOIN dwh.facts f ON f.action_dimension_id_user = du.dimension_user_id
  WHERE NOT $1::boolean AND du.user_id IN (SELECT user_id FROM delta_users)
    -- The windows end at the user's latest action, which is at or after the delta's first one.
    AND f.action_at > (SELECT min(created_at) FROM staging.etl_actions) - interval '30 days'
), latest AS (
  SELECT user_id, max(at) AS latest FROM acts GROUP BY user_id
), recent AS (
  SELECT a.*, l.latest FROM acts a JOIN latest l ON l.user_id = a.user_id
  WHERE a.at > l.latest - interval '30 days'
), mix AS (
  SELECT user_id,
         count(*) FILTER (WHERE event = 'opened' AND at > latest - interval '24 hours') AS opened_24h,
         extract(epoch FROM max(at) FILTER (WHERE event = 'opened' AND at > latest - interval '24 hours')
                           - min(at) FILTER (WHERE event = 'opened' AND at > latest - interval '24 hours')) / 60 AS span_24h_minutes,
         count(DISTINCT country) FILTER (WHERE event = 'opened' AND at > latest - interval '24 hours') AS countries_24h,
         count(*) AS actions_30d,
         count(*) FILTER (WHERE event = 'opened') AS opened_30d,
         count(*) FILTER (WHERE event = 'commented') AS commented_30d
  FROM recent GROUP BY user_id
), days AS (
  SELECT user_id, count(*) AS active_days, avg(hours) AS hours_per_day
  FROM (SELECT user_id, at::date, count(DISTINCT date_part('hour', at)) AS hours
        FROM recent WHERE at > latest - interval '7 days' GROUP BY user_id, at::date) d
  GROUP BY user_id
), scored AS (
  SELECT m.user_id,
         0.25 * CASE WHEN m.opened_24h > 5 THEN
                  CASE WHEN m.opened_24h / greatest(m.span_24h_minutes, 1) > 10 THEN 0.8
                       WHEN m.opened_24h / greatest(m.span_24h_minutes, 1) > 5 THEN 0.6
                       WHEN m.opened_24h / greatest(m.span_24h_minutes, 1) > 2 THEN 0.3 ELSE 0 END
                ELSE 0 END
       + 0.20 * CASE WHEN m.countries_24h > 5 AND m.span_24h_minutes < 360 THEN 0.7
                     WHEN m.countries_24h > 3 AND m.span_24h_minutes < 720 THEN 0.5
                     WHEN m.countries_24h > 2 THEN 0.2 ELSE 0 END
       + 0.20 * CASE WHEN coalesce(d.active_days, 0) < 5 THEN 0
                     WHEN d.hours_per_day > 22 THEN 0.6 WHEN d.hours_per_day > 20 THEN 0.4 ELSE 0 END
       + 0.35 * CASE WHEN m.actions_30d <= 20 THEN 0
                     WHEN m.opened_30d > 0.9 * m.actions_30d AND m.commented_30d < 0.05 * m.actions_30d THEN 0.5
                     WHEN m.opened_30d > 0.8 * m.actions_30d AND m.commented_30d < 0.10 * m.actions_30d THEN 0.3
                     ELSE 0 END AS score
  FROM mix m LEFT JOIN days d ON d.user_id = m.user_id
)
SELECT user_id, score,
       (CASE WHEN score >= 0.80 THEN 5 WHEN score >= 0.60 THEN 4 WHEN score >= 0.40 THEN 3
             WHEN score >= 0.20 THEN 2 ELSE 1 END)::smallint AS level
FROM scored;
