-- The former names' rows of dwh.dimension_users (not current: a user renamed), by user. Every
-- touched datamart build looks for the countries whose rankings show a renamed user
-- (pg_temp.dm_countries_with_renamed_users in the datamarts' concepts.sql) from these rows:
-- without an index it read all 235 000 user rows at 1 M notes to find none (60–80 ms, twice
-- per build); with it, 3 ms. Rows change only on a rename, so the index costs the ETL nothing
-- otherwise.

CREATE INDEX IF NOT EXISTS dimension_users_former ON dwh.dimension_users (user_id) WHERE NOT is_current;
