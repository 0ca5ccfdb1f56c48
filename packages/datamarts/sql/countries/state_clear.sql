-- Empties the countries' state (migrations 0033, 0034, 0036, 0041, 0042) before it is rebuilt
-- from every fact.
TRUNCATE dwh.datamart_global_notes, dwh.datamart_country_actions, dwh.datamart_country_days, dwh.datamart_country_hours,
         dwh.datamart_country_resolution_days, dwh.datamart_country_resolution_values, dwh.datamart_country_close_stats,
         dwh.datamart_country_openings, dwh.datamart_country_hashtags, dwh.datamart_country_users, dwh.datamart_country_longest,
         dwh.datamart_country_notes, dwh.datamart_country_note_days, dwh.datamart_country_periods;
-- The largest tables are loaded without their primary keys and indexes, which state_keys.sql
-- adds back, each in one sort: at 1 M notes 1.4 M, 1.0 M, 485 k, 265 k, 188 k and 171 k rows
-- (state_merge.sql loads them with MERGE, which needs no key to conflict on).
ALTER TABLE dwh.datamart_country_users DROP CONSTRAINT datamart_country_users_pkey;
DROP INDEX dwh.datamart_country_users_top_opened, dwh.datamart_country_users_top_closed;
ALTER TABLE dwh.datamart_country_notes DROP CONSTRAINT datamart_country_notes_pkey;
ALTER TABLE dwh.datamart_country_resolution_days DROP CONSTRAINT datamart_country_resolution_days_pkey;
ALTER TABLE dwh.datamart_country_resolution_values DROP CONSTRAINT datamart_country_resolution_values_pkey;
ALTER TABLE dwh.datamart_country_note_days DROP CONSTRAINT datamart_country_note_days_pkey;
ALTER TABLE dwh.datamart_country_days DROP CONSTRAINT datamart_country_days_pkey;
DROP INDEX dwh.datamart_country_days_top_opened, dwh.datamart_country_days_top_closed;
-- TRUNCATE leaves the tables "never analyzed", which the planner takes for 10 pages, not for
-- empty: it merge-joined the users' 1.4 M grouped rows at 1 M notes (a 3 s sort) against an
-- empty table. Analyzed empty, it hashes the empty table instead (11.2 → 8.5 s). Later
-- statements plan with the tables' actual sizes, which the planner reads at each statement.
ANALYZE dwh.datamart_global_notes, dwh.datamart_country_actions, dwh.datamart_country_days, dwh.datamart_country_hours,
        dwh.datamart_country_resolution_days, dwh.datamart_country_resolution_values, dwh.datamart_country_close_stats,
        dwh.datamart_country_openings, dwh.datamart_country_hashtags, dwh.datamart_country_users, dwh.datamart_country_longest,
        dwh.datamart_country_notes, dwh.datamart_country_note_days, dwh.datamart_country_periods;
