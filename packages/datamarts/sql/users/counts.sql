-- What the shared families count, for the users: views over their actions (dm_f), inlined into
-- each family's statement by the planner (nothing is materialized). The countries define the
-- same views over their aggregate state (countries/counts.sql), so both finish each metric with
-- the same family file.
DROP VIEW IF EXISTS dm_v_years, dm_v_days, dm_v_hours, dm_v_hashtags, dm_v_ranking, dm_v_openings, dm_v_closes,
                     dm_v_close_periods;
CREATE TEMP VIEW dm_v_years AS
SELECT ek, date_part('year', d)::integer AS yr,
       count(*) FILTER (WHERE ty = 'opened')::integer    AS open,
       count(*) FILTER (WHERE ty = 'commented')::integer AS commented,
       count(*) FILTER (WHERE ty = 'closed')::integer    AS closed,
       count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen))::integer AS closed_with_comment,
       count(*) FILTER (WHERE ty = 'reopened')::integer  AS reopened
FROM dm_f GROUP BY ek, yr;

CREATE TEMP VIEW dm_v_days AS
SELECT ek, ty, d, count(*)::integer AS n FROM dm_f WHERE ty IN ('opened', 'closed') GROUP BY ek, ty, d;

CREATE TEMP VIEW dm_v_hours AS
SELECT ek, ty, tow, count(*)::integer AS n FROM dm_f WHERE ty IN ('opened', 'commented', 'closed') GROUP BY ek, ty, tow;

-- Many users: the hashtag rows of every fact, hashed. A few (as for their facts,
-- users/facts.sql): theirs by the fact key, all their ids in one array (21 000 facts of a
-- touched build at 1 M notes: 0.04–0.08 s, against 0.11–0.12 s for a scan of all 505 000).
-- Only one branch runs. (Counted on dm_scope: users/facts.sql drops dm_dims before this
-- view.)
CREATE TEMP VIEW dm_v_hashtags AS
SELECT f.ek, f.ty, dh.description AS tag, count(*)::integer AS n
FROM dm_f f
JOIN (SELECT fh.fact_id, fh.dimension_hashtag_id FROM dwh.fact_hashtags fh
      WHERE (SELECT count(*) FROM dm_scope) > 20000
      UNION ALL
      SELECT fh.fact_id, fh.dimension_hashtag_id FROM dwh.fact_hashtags fh
      WHERE (SELECT count(*) FROM dm_scope) <= 20000 AND fh.fact_id = ANY (ARRAY(SELECT f.fact_id FROM dm_f f))) fh
  ON fh.fact_id = f.fact_id
JOIN dwh.dimension_hashtags dh ON dh.dimension_hashtag_id = fh.dimension_hashtag_id
GROUP BY f.ek, f.ty, dh.description;

-- whole = 1: the whole history (yr NULL); 0: one calendar year.
CREATE TEMP VIEW dm_v_ranking AS
SELECT ek, ty, rk, yr, grouping(yr) AS whole, count(*)::integer AS n
FROM (SELECT ek, ty, rk, date_part('year', d)::integer AS yr FROM dm_f WHERE ty IN ('opened', 'closed')) src
GROUP BY GROUPING SETS ((ek, ty, rk), (ek, ty, rk, yr));

-- Openings per year, application and version (NULL: none).
CREATE TEMP VIEW dm_v_openings AS
SELECT ek, date_part('year', d)::integer AS yr, app, ver, count(*)::integer AS n
FROM dm_f WHERE ty = 'opened' GROUP BY ek, yr, app, ver;

-- The users' lists by year are all computed (shared/applications.sql): none kept.
TRUNCATE dm_years_kept;

-- Closes (shared/resolution.sql): average and median days_to_resolution and distinct notes
-- closed, whole history; average and median per year (whole_year = 1, mo = 0) and month.
CREATE TEMP VIEW dm_v_closes AS
SELECT ek,
       round(avg(dtr), 2) AS avg_days_to_resolution,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY dtr))::numeric, 2) AS median_days_to_resolution,
       count(DISTINCT id_note)::integer AS notes_resolved_count
FROM dm_f WHERE ty = 'closed' GROUP BY ek;

CREATE TEMP VIEW dm_v_close_periods AS
SELECT ek, date_part('year', d)::integer AS yr, coalesce(date_part('month', d)::integer, 0) AS mo,
       grouping(date_part('month', d)) AS whole_year,
       avg(dtr) AS a, percentile_cont(0.5) WITHIN GROUP (ORDER BY dtr) AS m
FROM dm_f WHERE ty = 'closed' AND dtr IS NOT NULL
GROUP BY GROUPING SETS ((ek, date_part('year', d)), (ek, date_part('year', d), date_part('month', d)));
