-- Login roles for OSM Notes Analytics. Run as a superuser (or a role with CREATEROLE) in the
-- dwh database, after `migrate`:
--   psql -v etl_password="'…'" -v analyst_password="'…'" -d notes_dwh -f deploy/sql/roles.sql
--
-- Migration 0022 creates two NOLOGIN group roles and grants them per database:
--   osm_notes_etl      writes the dwh (ETL, datamarts, export bookkeeping, run records)
--   osm_notes_analyst  reads the dwh and runs the validation functions
-- Logins are members of a group; passwords never appear in migrations.

-- The pipeline (`run`, `maintenance`, `backup`): member of the writer group.
CREATE ROLE osm_notes_pipeline LOGIN PASSWORD :etl_password IN ROLE osm_notes_etl;
-- OSM-Notes-Monitoring, OSM-Notes-API, `health` and analysts: read only.
CREATE ROLE osm_notes_monitoring LOGIN PASSWORD :analyst_password IN ROLE osm_notes_analyst;
CREATE ROLE osm_notes_api LOGIN PASSWORD :analyst_password IN ROLE osm_notes_analyst;

-- A killed pipeline (kill -9, OOM, reboot) frees its advisory locks only when its backend
-- notices the closed socket; mid-statement that is after the statement, unless the server
-- checks the client meanwhile (PostgreSQL 14+):
ALTER ROLE osm_notes_pipeline SET client_connection_check_interval = '10s';

-- `maintenance` VACUUMs only tables its role owns (or may MAINTAIN): run it as the schema
-- owner, or on PostgreSQL 17+ let the pipeline maintain the dwh tables:
-- GRANT MAINTAIN ON ALL TABLES IN SCHEMA dwh TO osm_notes_etl;
-- ALTER DEFAULT PRIVILEGES IN SCHEMA dwh GRANT MAINTAIN ON TABLES TO osm_notes_etl;

-- `migrate` (schema changes) stays with the owner of schema dwh, usually the administrator
-- that ran it first: the group roles cannot create, alter or drop dwh tables.

-- A migration run by a role without CREATEROLE could not create the groups; then create
-- and grant them here (idempotent, per database):
SELECT dwh.grant_roles('osm_notes_etl', 'osm_notes_analyst');

-- Base tables in the same database (no INGESTION_DATABASE_URL): the pipeline reads them.
-- GRANT SELECT ON public.notes, public.note_comments, public.note_comments_text, public.users,
--   public.countries, public.properties TO osm_notes_etl;

-- A separate ingestion database: a read-only login there for INGESTION_DATABASE_URL.
-- \c notes
-- CREATE ROLE osm_notes_ingestion_reader LOGIN PASSWORD :etl_password;
-- GRANT SELECT ON public.notes, public.note_comments, public.note_comments_text, public.users,
--   public.countries, public.properties TO osm_notes_ingestion_reader;

-- Streaming replica for READ_DATABASE_URL: roles and grants replicate; nothing to do there.
-- pg_hba.conf: allow osm_notes_pipeline from the pipeline host, the readers from theirs.
