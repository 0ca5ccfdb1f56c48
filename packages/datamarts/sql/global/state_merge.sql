-- Adds the facts of dm_gd (global/state_delta.sql) to the global state (migration 0032):
-- counts are added, first and latest keys kept with least / greatest.
INSERT INTO dwh.datamart_global_actions AS t (action_type, actions, closed_with_comment, min_key, max_key,
                                               comment_length_sum, comment_length_n, with_url, with_mention)
SELECT ty, count(*), count(*) FILTER (WHERE pg_temp.dm_closed_with_comment(ty, clen)), min(key), max(key),
       coalesce(sum(clen), 0), count(clen), count(*) FILTER (WHERE url), count(*) FILTER (WHERE men)
FROM dm_gd GROUP BY ty
ON CONFLICT (action_type) DO UPDATE SET
  actions = t.actions + EXCLUDED.actions,
  closed_with_comment = t.closed_with_comment + EXCLUDED.closed_with_comment,
  min_key = least(t.min_key, EXCLUDED.min_key),
  max_key = greatest(t.max_key, EXCLUDED.max_key),
  comment_length_sum = t.comment_length_sum + EXCLUDED.comment_length_sum,
  comment_length_n = t.comment_length_n + EXCLUDED.comment_length_n,
  with_url = t.with_url + EXCLUDED.with_url,
  with_mention = t.with_mention + EXCLUDED.with_mention;

INSERT INTO dwh.datamart_global_resolution_days AS t (days, closes)
SELECT dtr, count(*) FROM dm_gd WHERE ty = 'closed' AND dtr IS NOT NULL GROUP BY dtr
ON CONFLICT (days) DO UPDATE SET closes = t.closes + EXCLUDED.closes;

INSERT INTO dwh.datamart_global_countries AS t (country_id, actions)
SELECT country_id, count(*) FROM dm_gd GROUP BY country_id
ON CONFLICT (country_id) DO UPDATE SET actions = t.actions + EXCLUDED.actions;

INSERT INTO dwh.datamart_global_applications AS t (dimension_application_id, openings)
SELECT app, count(*) FROM dm_gd WHERE ty = 'opened' AND app IS NOT NULL GROUP BY app
ON CONFLICT (dimension_application_id) DO UPDATE SET openings = t.openings + EXCLUDED.openings;

-- Distinct notes closed and commented (the row's resolved notes and comments per note): the
-- delta's notes with no action of that type among the facts counted before (none in a rebuild),
-- read as state_delta.sql reads them.
-- One index lookup per delta note, skipped in a rebuild (as countries/state_merge.sql: under
-- OR, NOT EXISTS may be planned as a hash of every fact).
UPDATE dwh.datamart_global_actions t SET notes = t.notes + n.new_notes
FROM (SELECT d.ty, count(*) AS new_notes
      FROM (SELECT ty, id_note FROM dm_gd WHERE ty IN ('closed', 'commented') GROUP BY ty, id_note) d
      LEFT JOIN LATERAL (
        SELECT 1 AS counted FROM dwh.facts f
        JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
        WHERE (SELECT from_fact FROM dm_sw) > 0 AND f.id_note = d.id_note AND f.action_comment::text = d.ty
          AND f.fact_id <= (SELECT from_fact FROM dm_sw)
        LIMIT 1) e ON true
      WHERE e.counted IS NULL
      GROUP BY d.ty) n
WHERE t.action_type = n.ty;
