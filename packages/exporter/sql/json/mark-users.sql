-- After a successful swap: these users' rows are exported as of the updated_at the export read.
-- A row changed since (another updated_at) stays pending; an already marked row is not rewritten.
-- $1 user ids, $2 their updated_at as read by the export, as ISO text: exact to the microsecond
-- (postgres.js would send a timestamp[] parameter through JS Dates, losing microseconds). Each is
-- one comma-separated text, not an array parameter: postgres.js serializes array parameters
-- element by element (measured at 1 M notes: 6 s of CPU for 235 000 ids and stamps).
UPDATE dwh.datamartusers t SET exported_at = v.updated_at
FROM (SELECT id, stamp::timestamp AS updated_at
      FROM unnest(string_to_array($1, ',')::integer[], string_to_array($2, ',')) AS u(id, stamp)) AS v
WHERE t.user_id = v.id AND t.updated_at = v.updated_at AND t.exported_at IS DISTINCT FROM v.updated_at
