-- Family "contributor type" (time-relative, §3.4 with §13 defect 12 fixed): from all of the
-- user's actions (not only the window; in the daily pass it reads dwh.facts). total_opened are
-- openings and total_closed closes (not every row of the user's notes, defect 5); the closer
-- coefficient is a real division; the long-inactive classes are tested from the longest
-- absence down so Retired and Forgotten are reachable; All-time means active in 2013 and this
-- year. Also days since the last action.
DROP TABLE IF EXISTS dm_contributor;
CREATE TEMP TABLE dm_contributor AS
WITH a AS (
  -- Every action of the users in scope: dm_f when it holds them all (a normal build: 2.6 s →
  -- a scan of dm_f for the 1 518 active users of a touched build at 1 M notes), the facts
  -- when it holds only the last 371 days (the daily pass). Only one branch runs.
  SELECT ek, at, ty FROM dm_f WHERE (SELECT since FROM dm_p) = '-infinity'
  UNION ALL
  SELECT u.user_id, f.action_at, f.action_comment::text
  FROM dwh.facts f JOIN dm_dims u ON u.dimension_user_id = f.action_dimension_id_user
  WHERE f.action_comment <> 'hidden' AND (SELECT since FROM dm_p) <> '-infinity'
), s AS (
  SELECT ek,
         min(at)::date AS oldest, max(at)::date AS recent, count(*) AS total,
         count(*) FILTER (WHERE ty = 'closed') AS closed,
         count(*) FILTER (WHERE ty = 'opened') AS opened
  FROM a
  GROUP BY ek
)
SELECT s.ek,
       (CASE
          WHEN s.oldest > p.today - 30 THEN 2
          WHEN s.oldest > p.today - 90 THEN 3
          WHEN extract(year FROM s.oldest) = 2013 AND extract(year FROM s.recent) = extract(year FROM p.today) THEN 4
          WHEN s.oldest = s.recent THEN 5
          WHEN extract(year FROM s.oldest) >= extract(year FROM p.today) - 1 THEN 6
          WHEN s.recent < p.today - 2000 THEN 9
          WHEN s.recent < p.today - 1800 THEN 8
          WHEN s.recent < p.today - 720 THEN 7
          WHEN s.total < 25 THEN 10
          WHEN s.closed < 100 AND s.closed::numeric / (s.opened + 1) > 1 THEN 11
          WHEN s.total < 100 THEN 12
          WHEN s.closed < 400 AND s.closed::numeric / (s.opened + 1) > 1 THEN 13
          WHEN s.total < 400 THEN 14
          WHEN s.closed < 1600 AND s.closed::numeric / (s.opened + 1) > 1 THEN 15
          WHEN s.total < 1600 THEN 16
          WHEN s.closed < 6400 AND s.closed::numeric / (s.opened + 1) > 1 THEN 17
          WHEN s.total < 6400 THEN 18
          WHEN s.closed < 25600 AND s.closed::numeric / (s.opened + 1) > 1 THEN 19
          WHEN s.total < 25600 THEN 20
          WHEN s.closed < 102400 AND s.closed::numeric / (s.opened + 1) > 1 THEN 21
          WHEN s.total < 102400 THEN 22
          ELSE 23
        END)::smallint AS id_contributor_type,
       greatest(p.today - s.recent, 0) AS days_since_last_action
FROM s, dm_p p;
