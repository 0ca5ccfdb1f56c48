-- Schemas of the warehouse and the event enum the facts use.
-- dwh: everything consumers read. staging: unlogged work tables of ETL runs (nothing
-- outside the ETL reads it).
CREATE SCHEMA IF NOT EXISTS dwh;
CREATE SCHEMA IF NOT EXISTS staging;

-- Same type as the base tables when they live in this database; created here (labels in the
-- DWH's order) only when absent, e.g. base tables in a separate ingestion database.
-- Code compares labels, never ordinals: the two projects create the labels in different orders.
DO $$
BEGIN
  IF to_regtype('public.note_event_enum') IS NULL THEN
    CREATE TYPE public.note_event_enum AS ENUM ('opened', 'closed', 'commented', 'reopened', 'hidden');
  END IF;
END
$$;

-- Contract table shared with OSM-Notes-Ingestion (component 'core') and read by the API and
-- Monitoring; the migrator upserts the 'dwh' row.
CREATE TABLE IF NOT EXISTS public.schema_version (
  component  varchar(64) NOT NULL,
  version    varchar(16) NOT NULL,
  updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT pk_schema_version PRIMARY KEY (component)
);

CREATE TABLE dwh.properties (
  key        varchar(64)  NOT NULL PRIMARY KEY,
  value      varchar(256),
  updated_at timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
COMMENT ON TABLE dwh.properties IS 'Free key/value flags (kept from the original); run state lives in dwh.etl_runs.';
