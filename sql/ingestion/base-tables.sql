-- Base-table contract of OSM-Notes-Ingestion, as read by the analytics
-- (shared spec base-tables.md §2-§3): types and tables. Constraints and indexes are in
-- base-indexes.sql, so bulk loaders can fill empty tables first and index afterwards.
-- Same names and types as Ingestion, minus PostGIS: the analytics never reads geometry, so
-- countries carries no geom column.
--
-- Deliberate differences from Ingestion, about loading speed or robustness of our own
-- loaders, none visible to a reader of the contract:
--  * no row triggers (update_note, put_seq_on_*, timestamps, logs): our loaders write
--    sequence_action, status and closed_at themselves, set-based;
--  * users.username has a plain index "username_uniq" instead of a UNIQUE one: OSM frees a
--    name on rename and another uid can take it, which makes Ingestion's insert fail.
-- Idempotent: safe to run on a database that already has the tables.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typname = 'note_status_enum' AND n.nspname = 'public') THEN
    CREATE TYPE public.note_status_enum AS ENUM ('open', 'close', 'hidden');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typname = 'note_event_enum' AND n.nspname = 'public') THEN
    CREATE TYPE public.note_event_enum AS ENUM ('opened', 'closed', 'reopened', 'commented', 'hidden');
  END IF;
END
$$;

CREATE TABLE IF NOT EXISTS public.users (
  user_id  integer      NOT NULL,
  username varchar(256) NOT NULL
);

CREATE TABLE IF NOT EXISTS public.notes (
  note_id     integer   NOT NULL,
  latitude    decimal   NOT NULL,
  longitude   decimal   NOT NULL,
  created_at  timestamp NOT NULL,
  status      public.note_status_enum,
  closed_at   timestamp,
  id_country  integer,
  insert_time timestamp DEFAULT CURRENT_TIMESTAMP,
  update_time timestamp DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS public.note_comments (
  id              serial    NOT NULL,
  note_id         integer   NOT NULL,
  sequence_action integer   NOT NULL,
  event           public.note_event_enum NOT NULL,
  processing_time timestamp DEFAULT CURRENT_TIMESTAMP,
  created_at      timestamp NOT NULL,
  id_user         integer
);

CREATE TABLE IF NOT EXISTS public.note_comments_text (
  id              serial    NOT NULL,
  note_id         integer   NOT NULL,
  sequence_action integer   NOT NULL,
  processing_time timestamp DEFAULT CURRENT_TIMESTAMP,
  body            text
);

CREATE TABLE IF NOT EXISTS public.countries (
  country_id          integer      NOT NULL,
  country_name        varchar(100) NOT NULL,
  country_name_es     varchar(100),
  country_name_en     varchar(100),
  updated             boolean,
  last_update_attempt timestamptz,
  update_failed       boolean DEFAULT false,
  is_maritime         boolean DEFAULT false
);

CREATE TABLE IF NOT EXISTS public.properties (
  key        varchar(32) NOT NULL,
  value      varchar(32),
  updated_at timestamp DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS public.schema_version (
  component  varchar(64) NOT NULL,
  version    varchar(16) NOT NULL,
  updated_at timestamp DEFAULT CURRENT_TIMESTAMP
);
