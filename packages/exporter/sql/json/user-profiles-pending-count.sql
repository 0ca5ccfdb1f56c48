-- How many user profiles an incremental export would read (json/user-profiles-pending.sql's
-- rows; partial index datamartusers_export_pending), to decide whether worker threads pay
-- for their start-up. $1: lowest published user_id.
SELECT count(*)::int AS pending FROM dwh.datamartusers WHERE NOT json_exported AND user_id >= $1
