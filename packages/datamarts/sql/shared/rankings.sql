-- Family "rankings": top 50 of the ranking key rk (countries for a user, users for a country)
-- by openings and by closes, whole history and per year (the opening's / close's year).
-- rank = RANK() (ties share a rank, the next is skipped); the cut at 50 and the order among
-- ties are fixed: quantity descending, then label, then id. Item keys: {{label_all}} for the
-- whole-history lists, {{label_year}} for the per-year ones, plus {{id_key}}.
DROP TABLE IF EXISTS dm_rankings;
CREATE TEMP TABLE dm_rankings AS
-- Counts per (entity, type, key[, year]): dm_v_ranking (users/counts.sql, countries/counts.sql).
WITH r AS (
  -- rank and position from one sort: the position's order (count descending, then label, then
  -- id) refines the rank's, so both windows read the same sorted rows (two sorts of the users'
  -- 1.06 M items before). Ties are ordered by label through l.ord, the label's position where
  -- the labels are few (users/facts.sql): an integer compares faster than text; by the label
  -- itself where ord is NULL (countries/facts.sql, whose dm_v_ranking holds only the users at
  -- or above each list's cut: the 50th count).
  SELECT c.ek, c.ty, c.rk, c.yr, c.whole, c.n, l.label, l.ord, l.label_json,
         rank() OVER (PARTITION BY c.ek, c.ty, c.whole, c.yr ORDER BY c.n DESC) AS rnk,
         row_number() OVER (PARTITION BY c.ek, c.ty, c.whole, c.yr ORDER BY c.n DESC, l.ord NULLS LAST, l.label, c.rk) AS pos
  FROM dm_v_ranking c LEFT JOIN dm_rk_label l USING (rk)
), lists AS (
  -- Each list's JSON text, assembled from its items' text and parsed once (::jsonb below),
  -- rather than json_build_object per item and json_agg: the users' main part of a full build
  -- at 1 M notes (1.06 M items) took 14.9–15.2 s instead of 17.3 s, same rows. to_json gives
  -- the label's JSON string, escaped as json_build_object escapes it (label_json: the same,
  -- written once per label where the labels are few). Items in the order that defines pos (not
  -- by pos): the rows come sorted so, and the aggregate needs no sort of its own.
  SELECT ek, ty, whole, yr,
         '[' || string_agg('{"rank":' || rnk
                           || CASE WHEN whole = 1 THEN ',"{{label_all}}":' ELSE ',"{{label_year}}":' END
                           || coalesce(label_json, to_json(label)::text, 'null')
                           || ',"{{id_key}}":' || coalesce(rk::text, 'null')
                           || ',"quantity":' || n || '}', ',' ORDER BY n DESC, ord NULLS LAST, label, rk) || ']' AS items
  FROM r WHERE pos <= 50 GROUP BY ek, ty, whole, yr
)
-- One whole-history list per entity and type: min() takes it.
SELECT ek,
       (min(items) FILTER (WHERE ty = 'opened' AND whole = 1))::jsonb AS open_all,
       (min(items) FILTER (WHERE ty = 'closed' AND whole = 1))::jsonb AS close_all,
       coalesce(('{' || string_agg('"' || yr || '":' || items, ',') FILTER (WHERE ty = 'opened' AND whole = 0) || '}')::jsonb, '{}') AS open_by_year,
       coalesce(('{' || string_agg('"' || yr || '":' || items, ',') FILTER (WHERE ty = 'closed' AND whole = 0) || '}')::jsonb, '{}') AS close_by_year
FROM lists
GROUP BY ek;
