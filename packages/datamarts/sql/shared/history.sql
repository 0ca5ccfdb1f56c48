-- Family "history": action counts per type, whole history and per calendar year of the action
-- (events: a note closed twice counts 2 closes). closed_with_comment: concepts.sql.
DROP TABLE IF EXISTS dm_history;
CREATE TEMP TABLE dm_history AS
-- Counts per (entity, year): dm_v_years (users/counts.sql, countries/counts.sql).
WITH per_year AS (SELECT * FROM dm_v_years)
SELECT ek,
       sum(open)::integer                AS history_whole_open,
       sum(commented)::integer           AS history_whole_commented,
       sum(closed)::integer              AS history_whole_closed,
       sum(closed_with_comment)::integer AS history_whole_closed_with_comment,
       sum(reopened)::integer            AS history_whole_reopened,
       -- ORDER BY (no effect on the object, keys are unique) makes this a sorted aggregate: hashed,
       -- the per-entity object builders spilled to disk (6.5 → 4.7 s at 1 M notes).
       -- JSON text assembled and parsed once (as shared/rankings.sql).
       ('{' || string_agg('"' || yr || '":{"open":' || open || ',"commented":' || commented || ',"closed":' || closed
                          || ',"closed_with_comment":' || closed_with_comment || ',"reopened":' || reopened || '}', ',' ORDER BY yr)
        || '}')::jsonb AS history_by_year,
       max(yr)                           AS last_year
FROM per_year
GROUP BY ek;
