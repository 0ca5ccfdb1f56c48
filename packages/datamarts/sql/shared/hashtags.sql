-- Family "hashtags": every hashtag use in the entity's actions (top 50, [{rank, hashtag,
-- quantity}]) and per action kind (top 10 [{rank, hashtag, count}] of openings, closes,
-- comments); the favourite is the first of its list (ties: alphabetical); the counts are all
-- uses in openings / closes (not the sum of a top 10, §13 defect 11).
DROP TABLE IF EXISTS dm_hashtags;
CREATE TEMP TABLE dm_hashtags AS
-- Uses per (entity, action type, hashtag): dm_v_hashtags (users/counts.sql, countries/counts.sql).
WITH c AS (
  SELECT ek, CASE WHEN grouping(ty) = 1 THEN 'all' ELSE ty END AS kind, tag, sum(n)::integer AS n
  FROM dm_v_hashtags GROUP BY GROUPING SETS ((ek, tag), (ek, ty, tag))
), r AS (
  SELECT c.*, rank() OVER (PARTITION BY ek, kind ORDER BY n DESC) AS rnk,
         row_number() OVER (PARTITION BY ek, kind ORDER BY n DESC, tag) AS pos,
         sum(n) OVER (PARTITION BY ek, kind) AS uses
  FROM c
)
-- JSON text assembled and parsed once (as shared/rankings.sql); to_json escapes the tag, as
-- json_build_object does. Items only for the rows a list can hold (the top 50).
SELECT ek,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE kind = 'all' AND pos <= 50) || ']')::jsonb AS hashtags,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE kind = 'opened' AND pos <= 10) || ']')::jsonb AS hashtags_opening,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE kind = 'closed' AND pos <= 10) || ']')::jsonb AS hashtags_resolution,
       ('[' || string_agg(item, ',' ORDER BY pos) FILTER (WHERE kind = 'commented' AND pos <= 10) || ']')::jsonb AS hashtags_comments,
       left(min(tag) FILTER (WHERE kind = 'opened' AND pos = 1), 50) AS favorite_opening_hashtag,
       left(min(tag) FILTER (WHERE kind = 'closed' AND pos = 1), 50) AS favorite_resolution_hashtag,
       coalesce(max(uses) FILTER (WHERE kind = 'opened'), 0)::integer AS opening_hashtag_count,
       coalesce(max(uses) FILTER (WHERE kind = 'closed'), 0)::integer AS resolution_hashtag_count,
       count(*) FILTER (WHERE kind = 'all')::integer AS distinct_hashtags
FROM (SELECT r.*,
             CASE WHEN pos <= 50
                  THEN '{"rank":' || rnk || ',"hashtag":' || coalesce(to_json(tag)::text, 'null')
                       || CASE WHEN kind = 'all' THEN ',"quantity":' ELSE ',"count":' END || n || '}' END AS item
      FROM r) r
GROUP BY ek;
