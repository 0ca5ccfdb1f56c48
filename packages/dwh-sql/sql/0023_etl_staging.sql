-- Work tables of one ETL run (schema staging, unlogged: rebuilt by every run, never read
-- outside the ETL). Same shape whether the base tables live in this database (filled with
-- INSERT … SELECT) or in another one (the *_raw text tables take COPY, then typed rows are
-- cast and checked in SQL: a COPY the server rejects can hang postgres.js).
-- No indexes: they are filled in bulk, read in bulk, then truncated.

-- Notes that the run's actions belong to.
CREATE UNLOGGED TABLE staging.etl_notes (
  note_id    integer   NOT NULL,
  latitude   numeric,
  longitude  numeric,
  created_at timestamp,
  id_country integer
);

-- The delta: base actions not yet in facts (and rejected ones being retried).
CREATE UNLOGGED TABLE staging.etl_actions (
  note_id         integer NOT NULL,
  sequence_action integer NOT NULL,
  event           text,
  created_at      timestamp,
  id_user         integer,
  body            text,
  has_text        boolean NOT NULL
);

-- Users of the delta (all users on a first run) and all countries, for the dimensions.
CREATE UNLOGGED TABLE staging.etl_users (
  user_id  integer NOT NULL,
  username varchar(256)
);
CREATE UNLOGGED TABLE staging.etl_countries (
  country_id      integer NOT NULL,
  country_name    varchar(100),
  country_name_es varchar(100),
  country_name_en varchar(100)
);

-- COPY targets for a separate ingestion database (text only).
CREATE UNLOGGED TABLE staging.etl_notes_raw (note_id text, latitude text, longitude text, created_at text, id_country text);
CREATE UNLOGGED TABLE staging.etl_actions_raw (note_id text, sequence_action text, event text, created_at text, id_user text, body text, has_text text);
CREATE UNLOGGED TABLE staging.etl_users_raw (user_id text, username text);
CREATE UNLOGGED TABLE staging.etl_countries_raw (country_id text, country_name text, country_name_es text, country_name_en text);

-- The ETL writer role works in these tables (0022 granted only the schema).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'osm_notes_etl') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA staging TO osm_notes_etl;
  END IF;
END
$$;
