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

CREATE TEMP VIEW dm_v_days AS
SELECT s.country_id AS ek, t.ty, s.day AS d, t.n
FROM dwh.datamart_country_days s JOIN dm_scope e ON e.id = s.country_id
CROSS JOIN LATERAL (VALUES ('opened', s.opened), ('closed', s.closed)) t (ty, n)
WHERE t.n > 0;

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

CREATE TEMP VIEW dm_v_ranking AS
SELECT s.country_id AS ek, t.ty, s.user_id AS rk, nullif(s.year, 0)::integer AS yr, (s.year = 0)::integer AS whole, t.n
FROM dwh.datamart_country_users s JOIN dm_scope e ON e.id = s.country_id
CROSS JOIN LATERAL (VALUES ('opened', s.opened), ('closed', s.closed)) t (ty, n)
WHERE t.n > 0;

CREATE TEMP VIEW dm_v_openings AS
SELECT s.country_id AS ek, s.year::integer AS yr, nullif(s.dimension_application_id, 0) AS app,
       nullif(s.dimension_application_version_id, 0) AS ver, s.openings AS n
FROM dwh.datamart_country_openings s JOIN dm_scope e ON e.id = s.country_id;

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
