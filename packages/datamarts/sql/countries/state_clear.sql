-- Empties the countries' state (migrations 0033, 0034, 0036, 0041, 0042) before it is rebuilt
-- from every fact.
TRUNCATE dwh.datamart_global_notes, dwh.datamart_country_actions, dwh.datamart_country_days, dwh.datamart_country_hours,
         dwh.datamart_country_resolution_days, dwh.datamart_country_resolution_values, dwh.datamart_country_close_stats,
         dwh.datamart_country_openings, dwh.datamart_country_hashtags, dwh.datamart_country_users, dwh.datamart_country_longest,
         dwh.datamart_country_notes, dwh.datamart_country_note_days, dwh.datamart_country_periods;
-- The largest table is loaded without its primary key and indexes, which state_keys.sql adds back.
ALTER TABLE dwh.datamart_country_users DROP CONSTRAINT datamart_country_users_pkey;
DROP INDEX dwh.datamart_country_users_top_opened, dwh.datamart_country_users_top_closed;
