-- The single global row (global_stats.json is regenerated in every export).
SELECT to_jsonb(g) - 'exported_at' AS row FROM dwh.datamartglobal g
