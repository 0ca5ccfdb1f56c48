-- How many user profiles an incremental export would read (json/user-profiles-pending.sql's
-- rows), to decide whether worker threads pay for their start-up. $1: lowest published user_id.
SELECT count(*)::int AS pending FROM dwh.json_export_pending WHERE datamart = 'users' AND id >= $1
