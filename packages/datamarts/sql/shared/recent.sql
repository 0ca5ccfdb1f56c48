-- Family "recent" (time-relative, docs/metrics.md): counts of the current UTC year, month and
-- day, notes created / resolved in the last 30 days (action date >= today − 30), the 371-day
-- activity string (rightmost = today, character i = today − (371 − i), §2.2 fixed), and the
-- age distribution of the entity's open notes. Reads only actions of the last 371 days, so the
-- daily pass over every entity is cheap.
DROP TABLE IF EXISTS dm_recent;
CREATE TEMP TABLE dm_recent AS
WITH p AS (SELECT * FROM dm_p),
w AS (SELECT f.* FROM dm_f f, p WHERE f.d BETWEEN p.window_start AND p.today),
counts AS (
  SELECT ek,
         count(*) FILTER (WHERE ty = 'opened' AND d >= p.year_start)::integer    AS history_year_open,
         count(*) FILTER (WHERE ty = 'commented' AND d >= p.year_start)::integer AS history_year_commented,
         count(*) FILTER (WHERE ty = 'closed' AND d >= p.year_start)::integer    AS history_year_closed,
         count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen) AND d >= p.year_start)::integer AS history_year_closed_with_comment,
         count(*) FILTER (WHERE ty = 'reopened' AND d >= p.year_start)::integer  AS history_year_reopened,
         count(*) FILTER (WHERE ty = 'opened' AND d >= p.month_start)::integer    AS history_month_open,
         count(*) FILTER (WHERE ty = 'commented' AND d >= p.month_start)::integer AS history_month_commented,
         count(*) FILTER (WHERE ty = 'closed' AND d >= p.month_start)::integer    AS history_month_closed,
         count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen) AND d >= p.month_start)::integer AS history_month_closed_with_comment,
         count(*) FILTER (WHERE ty = 'reopened' AND d >= p.month_start)::integer  AS history_month_reopened,
         count(*) FILTER (WHERE ty = 'opened' AND d = p.today)::integer    AS history_day_open,
         count(*) FILTER (WHERE ty = 'commented' AND d = p.today)::integer AS history_day_commented,
         count(*) FILTER (WHERE ty = 'closed' AND d = p.today)::integer    AS history_day_closed,
         count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen) AND d = p.today)::integer AS history_day_closed_with_comment,
         count(*) FILTER (WHERE ty = 'reopened' AND d = p.today)::integer  AS history_day_reopened,
         count(DISTINCT id_note) FILTER (WHERE ty = 'opened' AND d >= p.d30)::integer AS notes_created_last_30_days,
         count(DISTINCT id_note) FILTER (WHERE ty = 'closed' AND d >= p.d30)::integer AS notes_resolved_last_30_days,
         count(*) FILTER (WHERE ty = 'closed' AND d >= p.year_start AND dtr IS NOT NULL) AS closes_year,
         round(avg(dtr) FILTER (WHERE ty = 'closed' AND d >= p.year_start), 2) AS avg_days_year,
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY dtr) FILTER (WHERE ty = 'closed' AND d >= p.year_start))::numeric, 2) AS median_days_year
  FROM w, p GROUP BY ek
), daily AS (
  SELECT ek, d, count(*) AS n FROM w GROUP BY ek, d
), tiles AS (
  -- Digits of the active days, each preceded by the zeros of the idle days before it, then
  -- the idle days up to today: exactly 371 characters.
  SELECT ek,
         string_agg(repeat('0', gap) || pg_temp.dm_activity_score(n), '' ORDER BY d)
           || repeat('0', (SELECT today FROM p) - max(d)) AS last_year_activity
  FROM (SELECT daily.ek, daily.d, daily.n,
               (daily.d - coalesce(lag(daily.d) OVER (PARTITION BY daily.ek ORDER BY daily.d), p.window_start - 1) - 1) AS gap
        FROM daily, p) x
  GROUP BY ek
), ages AS (
  SELECT ek, pg_temp.dm_age_bucket(greatest(p.today - opened_d, 0)) AS b, sum(n)::integer AS n
  FROM dm_notes, p WHERE is_open GROUP BY ek, b
), age AS (
  SELECT ek,
         jsonb_agg(jsonb_build_object('age_range', pg_temp.dm_age_label(b), 'count', n) ORDER BY b) AS notes_age_distribution,
         jsonb_build_object('0-7_days', coalesce(sum(n) FILTER (WHERE b = 1), 0), '8-30_days', coalesce(sum(n) FILTER (WHERE b = 2), 0),
                            '31-90_days', coalesce(sum(n) FILTER (WHERE b = 3), 0), '90_plus_days', coalesce(sum(n) FILTER (WHERE b = 4), 0))
           AS age_object,
         sum(n)::integer AS open_now
  FROM ages GROUP BY ek
), eks AS (
  SELECT ek FROM counts UNION SELECT ek FROM age
)
SELECT * FROM eks LEFT JOIN counts USING (ek) LEFT JOIN tiles USING (ek) LEFT JOIN age USING (ek);
