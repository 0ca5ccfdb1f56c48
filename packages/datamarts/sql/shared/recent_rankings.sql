-- Family "recent rankings" (time-relative): as rankings.sql, restricted to the actions of the
-- current UTC month and of today: [{rank, {{label_all}}, {{id_key}}, quantity}], top 50.
DROP TABLE IF EXISTS dm_recent_rankings;
CREATE TEMP TABLE dm_recent_rankings AS
WITH p AS (SELECT * FROM dm_p),
src AS (
  SELECT f.ek, f.ty, f.rk, 'month' AS period FROM dm_f f, p WHERE f.ty IN ('opened', 'closed') AND f.d BETWEEN p.month_start AND p.today
  UNION ALL
  SELECT f.ek, f.ty, f.rk, 'day' FROM dm_f f, p WHERE f.ty IN ('opened', 'closed') AND f.d = p.today
), c AS (
  SELECT ek, ty, rk, period, count(*)::integer AS n FROM src GROUP BY ek, ty, rk, period
), r AS (
  SELECT c.*, l.label,
         rank() OVER (PARTITION BY ek, ty, period ORDER BY n DESC) AS rnk,
         row_number() OVER (PARTITION BY ek, ty, period ORDER BY n DESC, l.ord NULLS LAST, l.label, rk) AS pos
  FROM c LEFT JOIN dm_rk_label l USING (rk)
), lists AS (
  SELECT ek, ty, period,
         json_agg(json_build_object('rank', rnk, '{{label_all}}', label, '{{id_key}}', rk, 'quantity', n) ORDER BY pos) AS items
  FROM r WHERE pos <= 50 GROUP BY ek, ty, period
)
SELECT ek,
       ((array_agg(items) FILTER (WHERE ty = 'opened' AND period = 'month'))[1])::jsonb AS open_month,
       ((array_agg(items) FILTER (WHERE ty = 'closed' AND period = 'month'))[1])::jsonb AS close_month,
       ((array_agg(items) FILTER (WHERE ty = 'opened' AND period = 'day'))[1])::jsonb AS open_day,
       ((array_agg(items) FILTER (WHERE ty = 'closed' AND period = 'day'))[1])::jsonb AS close_day
FROM lists
GROUP BY ek;
