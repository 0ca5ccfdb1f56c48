-- As mark-users.sql, for the global row. $1 its id, $2 its updated_at as read by the export (text:
-- postgres.js would send a timestamp parameter through a JS Date, losing microseconds).
UPDATE dwh.datamartglobal SET exported_at = $2::text::timestamp
WHERE dimension_global_id = $1 AND updated_at = $2::text::timestamp AND exported_at IS DISTINCT FROM $2::text::timestamp
