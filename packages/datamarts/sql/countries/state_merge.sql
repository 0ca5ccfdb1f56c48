-- Adds the facts of dm_cd (countries/state_delta.sql) to the countries' state (migrations
-- 0033, 0034): counts are added, first and latest keys kept with least / greatest. Each statement
-- computes what the family of the same name did from every fact (shared/*.sql). In a rebuild
-- the larger tables have no primary key until state_keys.sql (state_clear.sql), so they are
-- merged with MERGE; the others insert in key order, so that in a rebuild the primary key
-- grows at its end instead of at random pages (the users' table, in that form, took 25 → 13 s
-- at 1 M notes, before it too was loaded without its key).
INSERT INTO dwh.datamart_country_actions AS t (country_id, action_type, actions, closed_with_comment, min_key, max_key,
                                                comment_length_sum, comment_length_n, with_url, with_mention)
SELECT ek, ty, count(*), count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen)), min(key), max(key),
       coalesce(sum(clen), 0), count(clen), count(*) FILTER (WHERE url), count(*) FILTER (WHERE men)
FROM dm_cd GROUP BY ek, ty
ON CONFLICT (country_id, action_type) DO UPDATE SET
  actions = t.actions + EXCLUDED.actions,
  closed_with_comment = t.closed_with_comment + EXCLUDED.closed_with_comment,
  min_key = least(t.min_key, EXCLUDED.min_key),
  max_key = greatest(t.max_key, EXCLUDED.max_key),
  comment_length_sum = t.comment_length_sum + EXCLUDED.comment_length_sum,
  comment_length_n = t.comment_length_n + EXCLUDED.comment_length_n,
  with_url = t.with_url + EXCLUDED.with_url,
  with_mention = t.with_mention + EXCLUDED.with_mention;

-- Distinct notes closed and commented, per country and over all countries (for the global
-- datamart, migration 0034: not a sum over countries, since a note whose country changed has
-- actions in two of them): the delta's notes with no action of that type among the facts
-- counted before, in that country or anywhere (none in a rebuild). The earlier facts of the
-- delta's notes by the note index, all their ids in one array (one scan per partition): as NOT
-- EXISTS under OR, the planner hashed every fact instead (4.4 s for 2 000 facts at 1 M notes);
-- one lookup per note and partition took 0.11 s for 4 000 notes. A rebuild reads none.
WITH dn AS MATERIALIZED (
  -- GROUP BY, not DISTINCT: hashed instead of sorted (a rebuild: 6.9 → 2.5 s at 1 M notes).
  SELECT ek, ty, id_note FROM dm_cd WHERE ty IN ('closed', 'commented') GROUP BY ek, ty, id_note
), earlier AS (
  SELECT f.id_note, f.action_comment::text AS ty, array_agg(DISTINCT dc.country_id) AS countries
  FROM dwh.facts f
  JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
  WHERE (SELECT from_fact FROM dm_sw) > 0
    AND f.id_note = ANY ((SELECT array_agg(DISTINCT id_note) FROM dn)::integer[])
    AND f.action_comment IN ('closed', 'commented') AND f.fact_id <= (SELECT from_fact FROM dm_sw)
  GROUP BY f.id_note, f.action_comment
), d AS MATERIALIZED (
  SELECT dn.ek, dn.ty, dn.id_note, coalesce(dn.ek = ANY (e.countries), false) AS in_country, e.id_note IS NOT NULL AS anywhere
  FROM dn LEFT JOIN earlier e ON e.id_note = dn.id_note AND e.ty = dn.ty
), global_notes AS (
  INSERT INTO dwh.datamart_global_notes AS t (action_type, notes)
  SELECT ty, count(*) FROM (SELECT ty, id_note FROM d WHERE NOT anywhere GROUP BY ty, id_note) g GROUP BY ty
  ON CONFLICT (action_type) DO UPDATE SET notes = t.notes + EXCLUDED.notes
)
UPDATE dwh.datamart_country_actions t SET notes = t.notes + n.new_notes
FROM (SELECT ek, ty, count(*) AS new_notes FROM d WHERE NOT in_country GROUP BY ek, ty) n
WHERE t.country_id = n.ek AND t.action_type = n.ty;

-- Description quality of an opening (shared/patterns.sql): poor < 5, fair < 10, good < 200,
-- complex < 500, treatise from 500 characters. The delta's days are also summed per ISO week,
-- quarter, month and quality class (migration 0042).
DROP TABLE IF EXISTS dm_cdays;
CREATE TEMP TABLE dm_cdays AS
SELECT ek, d, count(*) AS actions, count(*) FILTER (WHERE ty = 'opened') AS opened,
       count(*) FILTER (WHERE ty = 'commented') AS commented,
       count(*) FILTER (WHERE ty = 'closed') AS closed, count(*) FILTER (WHERE ty = 'reopened') AS reopened,
       count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen)) AS closed_with_comment,
       count(*) FILTER (WHERE ty = 'opened' AND clen < 5) AS poor,
       count(*) FILTER (WHERE ty = 'opened' AND clen >= 5 AND clen < 10) AS fair,
       count(*) FILTER (WHERE ty = 'opened' AND clen >= 10 AND clen < 200) AS good,
       count(*) FILTER (WHERE ty = 'opened' AND clen >= 200 AND clen < 500) AS complex,
       count(*) FILTER (WHERE ty = 'opened' AND clen >= 500) AS treatise
FROM dm_cd GROUP BY ek, d;

-- MERGE, not ON CONFLICT, here and below: a rebuild loads the larger tables without their
-- primary keys (countries/state_clear.sql, state_keys.sql; at 1 M notes the conflict checks
-- took 2.6 s for 188 k days, 3.5 s for 485 k resolution rows). Builds are serialized by their
-- advisory lock.
MERGE INTO dwh.datamart_country_days t
USING dm_cdays c ON t.country_id = c.ek AND t.day = c.d
WHEN MATCHED THEN UPDATE SET
  actions = t.actions + c.actions, opened = t.opened + c.opened, commented = t.commented + c.commented,
  closed = t.closed + c.closed, reopened = t.reopened + c.reopened, closed_with_comment = t.closed_with_comment + c.closed_with_comment,
  quality_poor = t.quality_poor + c.poor, quality_fair = t.quality_fair + c.fair, quality_good = t.quality_good + c.good,
  quality_complex = t.quality_complex + c.complex, quality_treatise = t.quality_treatise + c.treatise
WHEN NOT MATCHED THEN INSERT (country_id, day, actions, opened, commented, closed, reopened, closed_with_comment,
                              quality_poor, quality_fair, quality_good, quality_complex, quality_treatise)
  VALUES (c.ek, c.d, c.actions, c.opened, c.commented, c.closed, c.reopened, c.closed_with_comment,
          c.poor, c.fair, c.good, c.complex, c.treatise);

INSERT INTO dwh.datamart_country_periods AS t (country_id, kind, value, n)
SELECT s.ek, p.kind, p.value, sum(p.n)
FROM dm_cdays s
CROSS JOIN LATERAL (VALUES ('week', date_part('week', s.d)::smallint, s.actions),
                           ('quarter', date_part('quarter', s.d)::smallint, s.actions),
                           ('month', date_part('month', s.d)::smallint, s.actions),
                           ('quality', 0::smallint, s.poor), ('quality', 1::smallint, s.fair),
                           ('quality', 2::smallint, s.good), ('quality', 3::smallint, s.complex),
                           ('quality', 4::smallint, s.treatise)) p (kind, value, n)
GROUP BY 1, 2, 3
ON CONFLICT (country_id, kind, value) DO UPDATE SET n = t.n + EXCLUDED.n;

INSERT INTO dwh.datamart_country_hours AS t (country_id, hour_of_week, actions, opened, commented, closed)
SELECT ek, tow, count(*), count(*) FILTER (WHERE ty = 'opened'), count(*) FILTER (WHERE ty = 'commented'),
       count(*) FILTER (WHERE ty = 'closed')
FROM dm_cd GROUP BY ek, tow
ON CONFLICT (country_id, hour_of_week) DO UPDATE SET
  actions = t.actions + EXCLUDED.actions, opened = t.opened + EXCLUDED.opened,
  commented = t.commented + EXCLUDED.commented, closed = t.closed + EXCLUDED.closed;

MERGE INTO dwh.datamart_country_resolution_days t
USING (SELECT ek, date_trunc('month', d)::date AS month, dtr, count(*) AS closes FROM dm_cd WHERE ty = 'closed' AND dtr IS NOT NULL
       GROUP BY ek, date_trunc('month', d)::date, dtr) c
ON t.country_id = c.ek AND t.month = c.month AND t.days = c.dtr
WHEN MATCHED THEN UPDATE SET closes = t.closes + c.closes
WHEN NOT MATCHED THEN INSERT (country_id, month, days, closes) VALUES (c.ek, c.month, c.dtr, c.closes);

-- The same closes per year (and year 0, the whole history) and value (migration 0041).
MERGE INTO dwh.datamart_country_resolution_values t
USING (SELECT ek, coalesce(date_part('year', d)::smallint, 0) AS year, dtr, count(*) AS closes FROM dm_cd WHERE ty = 'closed' AND dtr IS NOT NULL
       GROUP BY GROUPING SETS ((ek, dtr), (ek, date_part('year', d)::smallint, dtr))) c
ON t.country_id = c.ek AND t.year = c.year AND t.days = c.dtr
WHEN MATCHED THEN UPDATE SET closes = t.closes + c.closes
WHEN NOT MATCHED THEN INSERT (country_id, year, days, closes) VALUES (c.ek, c.year, c.dtr, c.closes);

-- The average and median of the periods the delta's closes fall in (every period in a
-- rebuild): each month, its year and the whole history, from the closes per value above (per
-- month, and per year or whole history). The median is interpolated between the two middle
-- positions as percentile_cont does (days are integers, so the counts hold every value).
WITH changed AS MATERIALIZED (
  SELECT DISTINCT ek, date_trunc('month', d)::date AS month FROM dm_cd WHERE ty = 'closed' AND dtr IS NOT NULL
), h AS (
  SELECT s.country_id AS ek, date_part('year', s.month)::smallint AS yr, date_part('month', s.month)::smallint AS mo, s.days, s.closes
  FROM dwh.datamart_country_resolution_days s
  WHERE (s.country_id, s.month) IN (SELECT ek, month FROM changed)
  UNION ALL
  -- Years and the whole history (year 0): their rows per value.
  SELECT s.country_id, s.year, 0::smallint, s.days, s.closes::integer
  FROM dwh.datamart_country_resolution_values s
  WHERE (s.country_id, s.year) IN (SELECT ek, date_part('year', month)::smallint FROM changed UNION SELECT ek, 0 FROM changed)
), p AS (
  SELECT h.*, sum(closes) OVER w - closes AS first_pos, sum(closes) OVER w - 1 AS last_pos,
         sum(closes) OVER (PARTITION BY ek, yr, mo) AS n
  FROM h WINDOW w AS (PARTITION BY ek, yr, mo ORDER BY days)
), m AS (
  -- Integer arithmetic (closes are integers, their sums bigint; float8 holds the sums of
  -- days × closes exactly): numeric per row made this statement 2× slower. The middle
  -- positions of n values: floor((n − 1) / 2) and ceil((n − 1) / 2) = n / 2.
  SELECT ek, yr, mo, sum(closes) AS closes, sum(days::float8 * closes)::numeric / sum(closes) AS a,
         min(days) FILTER (WHERE (n - 1) / 2 BETWEEN first_pos AND last_pos) AS lo,
         min(days) FILTER (WHERE n / 2 BETWEEN first_pos AND last_pos) AS hi
  FROM p GROUP BY ek, yr, mo
)
INSERT INTO dwh.datamart_country_close_stats AS t (country_id, year, month, closes, avg_days, median_days)
SELECT ek, yr, mo, closes, a, lo + (hi - lo) * 0.5::float8 FROM m
ON CONFLICT (country_id, year, month) DO UPDATE SET
  closes = EXCLUDED.closes, avg_days = EXCLUDED.avg_days, median_days = EXCLUDED.median_days;

INSERT INTO dwh.datamart_country_openings AS t (country_id, year, dimension_application_id, dimension_application_version_id, openings)
SELECT ek, date_part('year', d)::smallint, coalesce(app, 0), coalesce(ver, 0), count(*) FROM dm_cd WHERE ty = 'opened'
GROUP BY ek, date_part('year', d)::smallint, coalesce(app, 0), coalesce(ver, 0) ORDER BY 1, 2, 3, 4
ON CONFLICT (country_id, year, dimension_application_id, dimension_application_version_id)
DO UPDATE SET openings = t.openings + EXCLUDED.openings;

INSERT INTO dwh.datamart_country_hashtags AS t (country_id, action_type, dimension_hashtag_id, uses)
SELECT c.ek, c.ty, fh.dimension_hashtag_id, count(*)
FROM dm_cd c JOIN dwh.fact_hashtags fh ON fh.fact_id = c.fact_id
-- The delta's facts are those above the watermark: a merge reads that end of the key (the
-- join alone read all 505 000 hashtag rows at 1 M notes for 4 000 facts, 0.08 s).
WHERE fh.fact_id > (SELECT from_fact FROM dm_sw)
GROUP BY c.ek, c.ty, fh.dimension_hashtag_id
ON CONFLICT (country_id, action_type, dimension_hashtag_id) DO UPDATE SET uses = t.uses + EXCLUDED.uses;

-- Year 0: the whole history. MERGE, as above (a rebuild without the primary key: 18 → 12 s at
-- 1 M notes).
MERGE INTO dwh.datamart_country_users t
USING (SELECT ek, coalesce(date_part('year', d)::smallint, 0) AS year, rk,
              count(*) FILTER (WHERE ty = 'opened') AS opened, count(*) FILTER (WHERE ty = 'closed') AS closed
       FROM dm_cd WHERE ty IN ('opened', 'closed')
       GROUP BY GROUPING SETS ((ek, rk), (ek, rk, date_part('year', d)::smallint))) c
ON t.country_id = c.ek AND t.year = c.year AND t.user_id = c.rk
WHEN MATCHED THEN UPDATE SET opened = t.opened + c.opened, closed = t.closed + c.closed
WHEN NOT MATCHED THEN INSERT (country_id, year, user_id, opened, closed) VALUES (c.ek, c.year, c.rk, c.opened, c.closed);

-- The longest resolutions (countries/extras.sql): the top 10 of the notes kept so far and the
-- delta's closes, each note with its longest close (days, then the latest close).
WITH candidates AS (
  SELECT DISTINCT ON (ek, id_note) ek, id_note, days, closed_on
  FROM (SELECT country_id AS ek, id_note, days, closed_on FROM dwh.datamart_country_longest
        UNION ALL
        SELECT ek, id_note, dtr, d FROM dm_cd WHERE ty = 'closed' AND dtr > 0) c
  ORDER BY ek, id_note, days DESC, closed_on DESC
), top AS (
  SELECT ek, id_note, days, closed_on FROM (
    SELECT candidates.*, row_number() OVER (PARTITION BY ek ORDER BY days DESC, id_note DESC) AS pos FROM candidates) r
  WHERE pos <= 10
), gone AS (
  DELETE FROM dwh.datamart_country_longest l
  WHERE NOT EXISTS (SELECT 1 FROM top WHERE top.ek = l.country_id AND top.id_note = l.id_note)
)
INSERT INTO dwh.datamart_country_longest AS t (country_id, id_note, days, closed_on)
SELECT ek, id_note, days, closed_on FROM top
ON CONFLICT (country_id, id_note) DO UPDATE SET days = EXCLUDED.days, closed_on = EXCLUDED.closed_on
  WHERE (t.days, t.closed_on) IS DISTINCT FROM (EXCLUDED.days, EXCLUDED.closed_on);
