-- Family "patterns" for the countries: the same columns and definitions as shared/patterns.sql
-- (the usual time of activity: mode over all actions, ties to the lowest value; note quality of
-- openings by description length; peak day / hour of openings, ties to the latest day and the
-- highest hour; hour_of_week 0–167, month_name 3 letters), read from the actions counted per
-- period and per hour of week in the countries' state (migrations 0033, 0042) instead of five
-- mode() sorts of every action. The users keep the shared file: counted per (user, day), their
-- counts are nearly as many rows as their actions (at 1 M notes 14.0 instead of 5.3 s).
DROP TABLE IF EXISTS dm_patterns;
CREATE TEMP TABLE dm_patterns AS
WITH periods AS (
  -- Actions per ISO week, quarter and month, openings per quality class (migration 0042).
  SELECT s.country_id AS ek, s.kind, s.value, s.n
  FROM dwh.datamart_country_periods s JOIN dm_scope e ON e.id = s.country_id
), hourly AS (
  SELECT s.country_id AS ek, ((s.hour_of_week / 100 - 1) * 24 + s.hour_of_week % 100)::smallint AS h, s.actions AS n, s.opened
  FROM dwh.datamart_country_hours s JOIN dm_scope e ON e.id = s.country_id
), quality AS (
  SELECT ek, coalesce(sum(n) FILTER (WHERE value = 0), 0)::integer AS note_quality_poor_count,
         coalesce(sum(n) FILTER (WHERE value = 1), 0)::integer AS note_quality_fair_count,
         coalesce(sum(n) FILTER (WHERE value = 2), 0)::integer AS note_quality_good_count,
         coalesce(sum(n) FILTER (WHERE value = 3), 0)::integer AS note_quality_complex_count,
         coalesce(sum(n) FILTER (WHERE value = 4), 0)::integer AS note_quality_treatise_count
  FROM periods WHERE kind = 'quality' GROUP BY ek
), week AS (
  SELECT DISTINCT ON (ek) ek, value AS iso_week FROM periods WHERE kind = 'week' ORDER BY ek, n DESC, value
), quarter AS (
  SELECT DISTINCT ON (ek) ek, value AS quarter FROM periods WHERE kind = 'quarter' ORDER BY ek, n DESC, value
), month AS (
  SELECT DISTINCT ON (ek) ek, value::integer AS mo FROM periods WHERE kind = 'month' ORDER BY ek, n DESC, value
), how AS (
  SELECT DISTINCT ON (ek) ek, h AS hour_of_week FROM hourly ORDER BY ek, n DESC, h
), period AS (
  SELECT DISTINCT ON (ek) ek, p
  FROM (SELECT ek, (h % 24) / 6 AS p, sum(n) AS n FROM hourly GROUP BY ek, p) x ORDER BY ek, n DESC, p
), peak_day AS (
  -- The day with most openings (ties to the latest), first in the index of migration 0038.
  SELECT e.id AS ek, t.day AS peak_day_notes_created, t.opened AS peak_day_notes_created_count
  FROM dm_scope e
  CROSS JOIN LATERAL (SELECT s.day, s.opened FROM dwh.datamart_country_days s
                      WHERE s.country_id = e.id AND s.opened > 0 ORDER BY s.opened DESC, s.day DESC LIMIT 1) t
), peak_hour AS (
  SELECT DISTINCT ON (ek) ek, h AS peak_hour_notes_created, opened::integer AS peak_hour_notes_created_count
  FROM hourly WHERE opened > 0 ORDER BY ek, opened DESC, h DESC
)
SELECT q.ek, w.iso_week, qu.quarter,
       to_char(make_date(2000, mo.mo, 1), 'Mon') AS month_name,
       hw.hour_of_week,
       (ARRAY['Night', 'Morning', 'Afternoon', 'Evening'])[pe.p + 1] AS period_of_day,
       q.note_quality_poor_count, q.note_quality_fair_count, q.note_quality_good_count,
       q.note_quality_complex_count, q.note_quality_treatise_count,
       pd.peak_day_notes_created, pd.peak_day_notes_created_count,
       ph.peak_hour_notes_created, ph.peak_hour_notes_created_count
FROM quality q
JOIN week w USING (ek) JOIN quarter qu USING (ek) JOIN month mo USING (ek) JOIN how hw USING (ek) JOIN period pe USING (ek)
LEFT JOIN peak_day pd USING (ek) LEFT JOIN peak_hour ph USING (ek);
