-- Family "dates": the 50 days with most openings / closes ([{date, quantity}], quantity
-- descending, then the latest day first). Openings are opening actions, not every row of the
-- opened notes (§13 defect 5); closes are close actions (defect 6).
DROP TABLE IF EXISTS dm_dates;
CREATE TEMP TABLE dm_dates AS
WITH c AS (
  SELECT ek, ty, d, n FROM dm_v_days -- users/counts.sql, countries/counts.sql
), r AS (
  SELECT c.*, row_number() OVER (PARTITION BY ek, ty ORDER BY n DESC, d DESC) AS pos FROM c
)
-- JSON text assembled and parsed once (as shared/rankings.sql).
SELECT ek,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE ty = 'opened') || ']')::jsonb AS dates_most_open,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE ty = 'closed') || ']')::jsonb AS dates_most_closed
FROM (SELECT ek, ty, pos, '{"date":"' || to_char(d, 'YYYY-MM-DD') || '","quantity":' || n || '}' AS item
      FROM r WHERE pos <= 50) r
GROUP BY ek;
