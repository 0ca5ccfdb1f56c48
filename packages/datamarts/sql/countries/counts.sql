-- What the shared families count, for the countries in scope: views over the countries'
-- aggregate state (migration 0033), with the shape and meaning of users/counts.sql (there over
-- the actions), so both finish each metric with the same family file.
DROP VIEW IF EXISTS dm_v_years, dm_v_days, dm_v_hours, dm_v_hashtags, dm_v_ranking, dm_v_openings, dm_v_closes,
                     dm_v_close_periods;
CREATE TEMP VIEW dm_v_years AS
SELECT s.country_id AS ek, date_part('year', s.day)::integer AS yr,
       sum(s.opened)::integer AS open, sum(s.commented)::integer AS commented, sum(s.closed)::integer AS closed,
       sum(s.closed_with_comment)::integer AS closed_with_comment, sum(s.reopened)::integer AS reopened
FROM dwh.datamart_country_days s JOIN dm_scope e ON e.id = s.country_id
GROUP BY 1, 2;

-- Only each country's first 50 days by openings and by closes (shared/dates.sql keeps no
-- others; its order, count then latest day, is that of the indexes of migration 0038).
CREATE TEMP VIEW dm_v_days AS
SELECT e.id AS ek, 'opened' AS ty, t.day AS d, t.opened AS n
FROM dm_scope e
CROSS JOIN LATERAL (SELECT s.day, s.opened FROM dwh.datamart_country_days s
                    WHERE s.country_id = e.id AND s.opened > 0 ORDER BY s.opened DESC, s.day DESC LIMIT 50) t
UNION ALL
SELECT e.id, 'closed', t.day, t.closed
FROM dm_scope e
CROSS JOIN LATERAL (SELECT s.day, s.closed FROM dwh.datamart_country_days s
                    WHERE s.country_id = e.id AND s.closed > 0 ORDER BY s.closed DESC, s.day DESC LIMIT 50) t;

CREATE TEMP VIEW dm_v_hours AS
SELECT s.country_id AS ek, t.ty, s.hour_of_week AS tow, t.n
FROM dwh.datamart_country_hours s JOIN dm_scope e ON e.id = s.country_id
CROSS JOIN LATERAL (VALUES ('opened', s.opened), ('commented', s.commented), ('closed', s.closed)) t (ty, n)
WHERE t.n > 0;

CREATE TEMP VIEW dm_v_hashtags AS
SELECT s.country_id AS ek, s.action_type AS ty, dh.description AS tag, sum(s.uses)::integer AS n
FROM dwh.datamart_country_hashtags s JOIN dm_scope e ON e.id = s.country_id
JOIN dwh.dimension_hashtags dh ON dh.dimension_hashtag_id = s.dimension_hashtag_id
GROUP BY 1, 2, 3;

-- Only the users ranked 50 or better (shared/rankings.sql keeps no others): per list, those
-- whose count reaches its 50th count (all of them when it has fewer), read through the
-- indexes of migration 0035. Every user with a higher count is among them, so their ranks are
-- those among all users. Lists: year 0 (whole history) and every year between the country's
-- first and latest opening or close. The cuts are worked out once per list (materialized) and
-- the users read per list (OFFSET 0 keeps the index lookup per list): flattened, the planner
-- looked the cut up once per user row, 1.6 M times (18 s at 1 M notes).
CREATE TEMP VIEW dm_v_ranking AS
WITH lists AS MATERIALIZED (
  SELECT a.ek, y.yr,
         (SELECT s.opened FROM dwh.datamart_country_users s
          WHERE s.country_id = a.ek AND s.year = y.yr AND s.opened > 0 ORDER BY s.opened DESC OFFSET 49 LIMIT 1) AS open_cut,
         (SELECT s.closed FROM dwh.datamart_country_users s
          WHERE s.country_id = a.ek AND s.year = y.yr AND s.closed > 0 ORDER BY s.closed DESC OFFSET 49 LIMIT 1) AS close_cut
  FROM (SELECT s.country_id AS ek, min(s.min_key) AS lo, max(s.max_key) AS hi
        FROM dwh.datamart_country_actions s JOIN dm_scope e ON e.id = s.country_id
        WHERE s.action_type IN ('opened', 'closed') GROUP BY 1) a
  CROSS JOIN LATERAL (SELECT 0 UNION ALL
                      SELECT generate_series(date_part('year', pg_temp.dm_key_day(a.lo))::integer,
                                             date_part('year', pg_temp.dm_key_day(a.hi))::integer)) y (yr)
  -- Of the years, those recomputed (countries/rank_years.sql; the others are kept from the rows).
  WHERE y.yr = 0 OR EXISTS (SELECT 1 FROM dm_rank_years r WHERE r.ek = a.ek AND r.yr IN (y.yr, -1))
)
SELECT l.ek, 'opened' AS ty, u.user_id AS rk, nullif(l.yr, 0) AS yr, (l.yr = 0)::integer AS whole, u.opened AS n
FROM lists l
CROSS JOIN LATERAL (SELECT s.user_id, s.opened FROM dwh.datamart_country_users s
                    WHERE s.country_id = l.ek AND s.year = l.yr AND s.opened > 0 AND s.opened >= coalesce(l.open_cut, 1)
                    OFFSET 0) u
UNION ALL
SELECT l.ek, 'closed', u.user_id, nullif(l.yr, 0), (l.yr = 0)::integer, u.closed
FROM lists l
CROSS JOIN LATERAL (SELECT s.user_id, s.closed FROM dwh.datamart_country_users s
                    WHERE s.country_id = l.ek AND s.year = l.yr AND s.closed > 0 AND s.closed >= coalesce(l.close_cut, 1)
                    OFFSET 0) u;

CREATE TEMP VIEW dm_v_openings AS
SELECT s.country_id AS ek, s.year::integer AS yr, nullif(s.dimension_application_id, 0) AS app,
       nullif(s.dimension_application_version_id, 0) AS ver, s.openings AS n
FROM dwh.datamart_country_openings s JOIN dm_scope e ON e.id = s.country_id;

-- The years of openings whose lists by year (shared/applications.sql) are kept from the rows
-- (countries/row.sql): those countries/rank_years.sql does not recompute.
TRUNCATE dm_years_kept;
INSERT INTO dm_years_kept (ek, yr)
SELECT DISTINCT o.ek, o.yr FROM dm_v_openings o
WHERE NOT EXISTS (SELECT 1 FROM dm_rank_years r WHERE r.ek = o.ek AND r.yr IN (o.yr, -1));

-- Closes: average and median per period (countries/state_merge.sql keeps them up to date).
CREATE TEMP VIEW dm_v_close_periods AS
SELECT s.country_id AS ek, s.year::integer AS yr, s.month::integer AS mo, (s.month = 0)::integer AS whole_year,
       s.avg_days AS a, s.median_days AS m
FROM dwh.datamart_country_close_stats s JOIN dm_scope e ON e.id = s.country_id
WHERE s.year > 0;

CREATE TEMP VIEW dm_v_closes AS
SELECT s.country_id AS ek, round(w.avg_days, 2) AS avg_days_to_resolution,
       round(w.median_days::numeric, 2) AS median_days_to_resolution, s.notes::integer AS notes_resolved_count
FROM dwh.datamart_country_actions s JOIN dm_scope e ON e.id = s.country_id
LEFT JOIN dwh.datamart_country_close_stats w ON w.country_id = s.country_id AND w.year = 0 AND w.month = 0
WHERE s.action_type = 'closed';
