-- Family "badges" (§6.1): awarded after the rows are written, for the users in scope; never
-- revoked (ON CONFLICT DO NOTHING keeps the first award day). closed_with_comment is real now
-- (§13 defect 2), so Problem Solver & co. can be earned; Mobile User / Desktop Power User count
-- notes opened with such applications, not distinct applications.
WITH u AS (
  SELECT d.* FROM dwh.datamartusers d JOIN dm_scope s ON s.id = d.user_id
), closes AS (
  SELECT ek, id_note, seq, d, country_id FROM dm_f WHERE ty = 'closed'
), streak AS (
  -- Only users with 7 or more closes can have a 7-day streak.
  SELECT ek, max(len) AS best
  FROM (SELECT ek, count(*) AS len
        FROM (SELECT ek, d, d - (row_number() OVER (PARTITION BY ek ORDER BY d))::integer AS grp
              FROM (SELECT DISTINCT c.ek, c.d FROM closes c JOIN u ON u.user_id = c.ek AND u.history_whole_closed >= 7) x) y
        GROUP BY ek, grp) z
  GROUP BY ek
), geo AS (
  SELECT ek, count(*) AS countries, max(n) AS top_country
  FROM (SELECT c.ek, c.country_id, count(*) AS n FROM closes c JOIN u ON u.user_id = c.ek AND u.history_whole_closed >= 5
        GROUP BY c.ek, c.country_id) x GROUP BY ek
), solid AS (
  -- Only users with 50 or more closes can earn Solid Closer.
  SELECT c.ek, count(*) AS n FROM closes c JOIN u ON u.user_id = c.ek AND u.history_whole_closed >= 50
  WHERE NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = c.id_note AND f.sequence_action > c.seq
                      AND f.action_comment = 'reopened')
  GROUP BY c.ek
), tagged AS (
  -- Actions with at least one hashtag, for users with 50 or more actions (the threshold).
  SELECT f.ek, count(*) AS n
  FROM dm_f f
  JOIN u ON u.user_id = f.ek
   AND u.history_whole_open + u.history_whole_commented + u.history_whole_closed + u.history_whole_reopened >= 50
  JOIN (SELECT DISTINCT fact_id FROM dwh.fact_hashtags) fh ON fh.fact_id = f.fact_id
  GROUP BY f.ek
), earned AS (
  SELECT u.user_id, x.badge
  FROM u
  CROSS JOIN dm_p p
  LEFT JOIN streak st ON st.ek = u.user_id
  LEFT JOIN geo g ON g.ek = u.user_id
  LEFT JOIN solid so ON so.ek = u.user_id
  LEFT JOIN tagged tg ON tg.ek = u.user_id
  LEFT JOIN dm_applications ap ON ap.ek = u.user_id
  LEFT JOIN dm_collaboration co ON co.ek = u.user_id
  CROSS JOIN LATERAL (VALUES
    ('First Note', u.history_whole_open >= 1), ('10 Notes Opened', u.history_whole_open >= 10),
    ('50 Notes Opened', u.history_whole_open >= 50), ('100 Notes Opened', u.history_whole_open >= 100),
    ('500 Notes Opened', u.history_whole_open >= 500), ('1000 Notes Opened', u.history_whole_open >= 1000),
    ('Note Master', u.history_whole_open >= 5000),
    ('First Close', u.history_whole_closed >= 1), ('10 Notes Closed', u.history_whole_closed >= 10),
    ('50 Notes Closed', u.history_whole_closed >= 50), ('100 Notes Closed', u.history_whole_closed >= 100),
    ('500 Notes Closed', u.history_whole_closed >= 500), ('1000 Notes Closed', u.history_whole_closed >= 1000),
    ('Resolution Legend', u.history_whole_closed >= 5000),
    ('First Comment', u.history_whole_commented >= 1), ('100 Comments', u.history_whole_commented >= 100),
    ('500 Comments', u.history_whole_commented >= 500), ('1000 Comments', u.history_whole_commented >= 1000),
    ('Comment Legend', u.history_whole_commented >= 5000),
    ('Problem Solver', u.history_whole_closed_with_comment >= 10),
    ('Community Helper', u.history_whole_closed_with_comment >= 50),
    ('Resolution Master', u.history_whole_closed_with_comment >= 100),
    ('Early Adopter', extract(year FROM u.date_starting_creating_notes) = 2013),
    ('Long Time Helper', extract(year FROM p.today) - extract(year FROM u.date_starting_creating_notes) >= 5),
    ('Century Club', u.history_year_open >= 100), ('Resolution Champion', u.history_year_closed >= 100),
    ('Comment King', u.history_year_commented >= 100),
    ('Quality Contributor', u.avg_comment_length >= 50), ('Detail Oriented', u.avg_comment_length >= 200),
    ('Collaborative', u.comments_with_mention_count >= 20), ('Resourceful', u.comments_with_url_count >= 20),
    ('Mobile User', coalesce(ap.mobile_notes, 0) >= 100), ('Desktop Power User', coalesce(ap.desktop_notes, 0) >= 100),
    ('Hashtag Enthusiast', coalesce(tg.n, 0) >= 50),
    ('All Around Helper', u.history_whole_open >= 1000 AND u.history_whole_closed >= 1000 AND u.history_whole_commented >= 1000),
    ('Global Resolver', coalesce(g.countries, 0) >= 5),
    ('First Responder', coalesce(co.first_comments, 0) >= 25),
    ('Solid Closer', coalesce(so.n, 0) >= 50),
    ('Rising Resolver', u.history_year_closed >= 10 AND u.history_year_closed >
       coalesce((u.history_by_year -> (extract(year FROM p.today)::integer - 1)::text ->> 'closed')::integer, 0)),
    ('Local Hero', u.history_whole_closed >= 50 AND coalesce(g.top_country, 0) >= 0.8 * u.history_whole_closed),
    ('Closing Streak', coalesce(st.best, 0) >= 7)
  ) AS x(badge, ok)
  WHERE x.ok
)
INSERT INTO dwh.badges_per_users (user_id, badge_id, date_awarded)
SELECT e.user_id, b.badge_id, p.today
FROM earned e JOIN dwh.badges b ON b.badge_name = e.badge CROSS JOIN dm_p p
ON CONFLICT (user_id, badge_id) DO NOTHING;
