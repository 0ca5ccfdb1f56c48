-- After a successful swap: these rows' versions are written (dwh.json_export_pending, 0031).
-- $1 'users' or 'countries', $2 their ids, $3 their updated_at as read by the export.
-- A row changed since (another updated_at) stays pending.
-- $2 and $3 are ISO text, exact to the microsecond (postgres.js would send a timestamp[]
-- parameter through JS Dates, losing microseconds), each one comma-separated text, not an
-- array parameter: postgres.js serializes array parameters element by element (measured at
-- 1 M notes: 6 s of CPU for 235 000 ids and stamps).
DELETE FROM dwh.json_export_pending p
USING unnest(string_to_array($2, ',')::integer[], string_to_array($3, ',')) AS v(id, stamp)
WHERE p.datamart = $1 AND p.id = v.id AND p.updated_at = v.stamp::timestamp
