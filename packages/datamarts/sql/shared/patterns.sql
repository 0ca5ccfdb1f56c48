-- Family "patterns": the usual time of activity (mode over all actions; ties go to the lowest
-- value), note quality of openings by description length, and the peak day / hour of openings
-- (ties: latest day, highest hour). hour_of_week is 0–167 (§13 defect 16), month_name 3 letters.
DROP TABLE IF EXISTS dm_patterns;
CREATE TEMP TABLE dm_patterns AS
WITH m AS (
  SELECT ek,
         mode() WITHIN GROUP (ORDER BY date_part('week', d))          AS iso_week,
         mode() WITHIN GROUP (ORDER BY date_part('quarter', d))       AS quarter,
         mode() WITHIN GROUP (ORDER BY date_part('month', d))         AS month,
         mode() WITHIN GROUP (ORDER BY (tow / 100 - 1) * 24 + tow % 100) AS hour_of_week,
         mode() WITHIN GROUP (ORDER BY (tow % 100) / 6)               AS period,
         count(*) FILTER (WHERE ty = 'opened' AND clen < 5)::integer                   AS note_quality_poor_count,
         count(*) FILTER (WHERE ty = 'opened' AND clen >= 5 AND clen < 10)::integer    AS note_quality_fair_count,
         count(*) FILTER (WHERE ty = 'opened' AND clen >= 10 AND clen < 200)::integer  AS note_quality_good_count,
         count(*) FILTER (WHERE ty = 'opened' AND clen >= 200 AND clen < 500)::integer AS note_quality_complex_count,
         count(*) FILTER (WHERE ty = 'opened' AND clen >= 500)::integer                AS note_quality_treatise_count
  FROM dm_f GROUP BY ek
), peak_day AS (
  SELECT DISTINCT ON (ek) ek, d AS peak_day_notes_created, n AS peak_day_notes_created_count
  FROM (SELECT ek, d, count(*)::integer AS n FROM dm_f WHERE ty = 'opened' GROUP BY ek, d) x
  ORDER BY ek, n DESC, d DESC
), peak_hour AS (
  SELECT DISTINCT ON (ek) ek, h AS peak_hour_notes_created, n AS peak_hour_notes_created_count
  FROM (SELECT ek, ((tow / 100 - 1) * 24 + tow % 100)::smallint AS h, count(*)::integer AS n
        FROM dm_f WHERE ty = 'opened' GROUP BY ek, h) x
  ORDER BY ek, n DESC, h DESC
)
SELECT m.ek, m.iso_week::smallint, m.quarter::smallint,
       to_char(make_date(2000, m.month::integer, 1), 'Mon') AS month_name,
       m.hour_of_week::smallint,
       (ARRAY['Night', 'Morning', 'Afternoon', 'Evening'])[m.period::integer + 1] AS period_of_day,
       m.note_quality_poor_count, m.note_quality_fair_count, m.note_quality_good_count,
       m.note_quality_complex_count, m.note_quality_treatise_count,
       pd.peak_day_notes_created, pd.peak_day_notes_created_count,
       ph.peak_hour_notes_created, ph.peak_hour_notes_created_count
FROM m LEFT JOIN peak_day pd USING (ek) LEFT JOIN peak_hour ph USING (ek);
