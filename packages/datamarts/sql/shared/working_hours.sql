-- Family "working hours": actions per hour of the ISO week ([{day_of_week 1 = Monday … 7,
-- hour_of_day 0–23, count}], ordered by day then hour) for openings, comments and closes. Every
-- action counts (the original dropped rows without a season, §13 defect 15). NULL when empty.
DROP TABLE IF EXISTS dm_working_hours;
CREATE TEMP TABLE dm_working_hours AS
-- Each list's JSON text is assembled from its items' text and parsed once (as shared/rankings.sql).
WITH c AS (
  SELECT ek, ty, tow,
         '{"day_of_week":' || tow / 100 || ',"hour_of_day":' || tow % 100 || ',"count":' || n || '}' AS item
  FROM dm_v_hours -- users/counts.sql, countries/counts.sql
)
SELECT ek,
       ('[' || string_agg(item, ',' ORDER BY tow) FILTER (WHERE ty = 'opened') || ']')::jsonb AS working_hours_of_week_opening,
       ('[' || string_agg(item, ',' ORDER BY tow) FILTER (WHERE ty = 'commented') || ']')::jsonb AS working_hours_of_week_commenting,
       ('[' || string_agg(item, ',' ORDER BY tow) FILTER (WHERE ty = 'closed') || ']')::jsonb AS working_hours_of_week_closing
FROM c
GROUP BY ek;
