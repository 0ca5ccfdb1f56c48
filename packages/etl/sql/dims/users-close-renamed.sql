-- SCD2: a renamed user's current row is closed; users-insert.sql adds the new current row.
-- Facts already loaded keep pointing at the old row.
UPDATE dwh.dimension_users d
SET valid_to = now() AT TIME ZONE 'UTC', is_current = false
FROM staging.etl_users s
WHERE d.user_id = s.user_id AND d.is_current
  AND d.username IS NOT NULL AND s.username IS NOT NULL AND d.username <> s.username;
