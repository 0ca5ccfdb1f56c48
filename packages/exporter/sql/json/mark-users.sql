-- After a successful swap: these users' rows are exported as of the updated_at the export read.
-- A row changed since (another updated_at) stays pending; an already marked row is not rewritten.
-- $1 user ids, $2 their updated_at as read by the export, as ISO text: exact to the microsecond
-- (postgres.js would send a timestamp[] parameter through JS Dates, losing microseconds).
UPDATE dwh.datamartusers t SET exported_at = v.updated_at
FROM (SELECT id, stamp::timestamp AS updated_at FROM unnest($1::integer[], $2::text[]) AS u(id, stamp)) AS v
WHERE t.user_id = v.id AND t.updated_at = v.updated_at AND t.exported_at IS DISTINCT FROM v.updated_at
