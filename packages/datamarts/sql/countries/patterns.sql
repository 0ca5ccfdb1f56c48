-- Family "patterns" for the countries: the same columns and definitions as shared/patterns.sql
-- (the usual time of activity: mode over all actions, ties to the lowest value; note quality of
-- openings by description length; peak day / hour of openings, ties to the latest day and the
-- highest hour; hour_of_week 0–167, month_name 3 letters), read from the actions counted per
-- day and per hour of week in the countries' state (migration 0033) instead of five mode()
-- sorts of every action. The users keep the shared file: counted per (user, day), their counts
-- are nearly as many rows as their actions (at 1 M notes 14.0 instead of 5.3 s).
DROP TABLE IF EXISTS dm_patterns;
CREATE TEMP TABLE dm_patterns AS
WITH daily AS (
  SELECT s.country_id AS ek, s.day AS d, s.actions AS n, s.opened, s.quality_poor AS poor, s.quality_fair AS fair,
         s.quality_good AS good, s.quality_complex AS complex, s.quality_treatise AS treatise
  FROM dwh.datamart_country_days s JOIN dm_scope e ON e.id = s.country_id
), hourly AS (
  SELECT s.country_id AS ek, ((s.hour_of_week / 100 - 1) * 24 + s.hour_of_week % 100)::smallint AS h, s.actions AS n, s.opened
  FROM dwh.datamart_country_hours s JOIN dm_scope e ON e.id = s.country_id
), quality AS (
  SELECT ek, sum(poor)::integer AS note_quality_poor_count, sum(fair)::integer AS note_quality_fair_count,
         sum(good)::integer AS note_quality_good_count, sum(complex)::integer AS note_quality_complex_count,
         sum(treatise)::integer AS note_quality_treatise_count
  FROM daily GROUP BY ek
), week AS (
  SELECT DISTINCT ON (ek) ek, w AS iso_week
  FROM (SELECT ek, date_part('week', d)::smallint AS w, sum(n) AS n FROM daily GROUP BY ek, w) x ORDER BY ek, n DESC, w
), quarter AS (
  SELECT DISTINCT ON (ek) ek, q AS quarter
  FROM (SELECT ek, date_part('quarter', d)::smallint AS q, sum(n) AS n FROM daily GROUP BY ek, q) x ORDER BY ek, n DESC, q
), month AS (
  SELECT DISTINCT ON (ek) ek, mo
  FROM (SELECT ek, date_part('month', d)::integer AS mo, sum(n) AS n FROM daily GROUP BY ek, mo) x ORDER BY ek, n DESC, mo
), how AS (
  SELECT DISTINCT ON (ek) ek, h AS hour_of_week FROM hourly ORDER BY ek, n DESC, h
), period AS (
  SELECT DISTINCT ON (ek) ek, p
  FROM (SELECT ek, (h % 24) / 6 AS p, sum(n) AS n FROM hourly GROUP BY ek, p) x ORDER BY ek, n DESC, p
), peak_day AS (
  SELECT DISTINCT ON (ek) ek, d AS peak_day_notes_created, opened::integer AS peak_day_notes_created_count
  FROM daily WHERE opened > 0 ORDER BY ek, opened DESC, d DESC
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
