-- Base-table contract of OSM-Notes-Ingestion, as read by the analytics
-- (shared spec base-tables.md §2-§3). Same names and types as Ingestion, minus PostGIS:
-- the analytics never reads geometry, so countries carries no geom column.
--
-- Deliberate differences from Ingestion, both about loading speed or robustness of our own
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
  username varchar(256) NOT NULL,
  CONSTRAINT pk_users PRIMARY KEY (user_id)
);
CREATE INDEX IF NOT EXISTS usernames ON public.users (username);
CREATE INDEX IF NOT EXISTS username_uniq ON public.users (username);

CREATE TABLE IF NOT EXISTS public.notes (
  note_id     integer   NOT NULL,
  latitude    decimal   NOT NULL,
  longitude   decimal   NOT NULL,
  created_at  timestamp NOT NULL,
  status      public.note_status_enum,
  closed_at   timestamp,
  id_country  integer,
  insert_time timestamp DEFAULT CURRENT_TIMESTAMP,
  update_time timestamp DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT pk_notes PRIMARY KEY (note_id)
);
CREATE INDEX IF NOT EXISTS notes_closed ON public.notes (closed_at);
CREATE INDEX IF NOT EXISTS notes_created ON public.notes (created_at DESC);
CREATE INDEX IF NOT EXISTS notes_countries ON public.notes (id_country);
CREATE INDEX IF NOT EXISTS notes_country_note_id ON public.notes (id_country, note_id)
  WHERE id_country IS NOT NULL;

CREATE TABLE IF NOT EXISTS public.note_comments (
  id              serial    NOT NULL,
  note_id         integer   NOT NULL,
  sequence_action integer   NOT NULL,
  event           public.note_event_enum NOT NULL,
  processing_time timestamp DEFAULT CURRENT_TIMESTAMP,
  created_at      timestamp NOT NULL,
  id_user         integer,
  CONSTRAINT pk_note_comments PRIMARY KEY (id),
  CONSTRAINT unique_comment_note UNIQUE (note_id, sequence_action),
  CONSTRAINT fk_notes FOREIGN KEY (note_id) REFERENCES public.notes (note_id),
  CONSTRAINT fk_users FOREIGN KEY (id_user) REFERENCES public.users (user_id)
);
CREATE INDEX IF NOT EXISTS note_comments_id ON public.note_comments (note_id);
CREATE INDEX IF NOT EXISTS note_comments_users ON public.note_comments (id_user);
CREATE INDEX IF NOT EXISTS note_comments_created ON public.note_comments (created_at);
CREATE INDEX IF NOT EXISTS note_comments_id_event ON public.note_comments (note_id, event);
CREATE INDEX IF NOT EXISTS note_comments_id_created ON public.note_comments (note_id, created_at DESC);

CREATE TABLE IF NOT EXISTS public.note_comments_text (
  id              serial    NOT NULL,
  note_id         integer   NOT NULL,
  sequence_action integer   NOT NULL,
  processing_time timestamp DEFAULT CURRENT_TIMESTAMP,
  body            text,
  CONSTRAINT pk_text_comments PRIMARY KEY (id),
  CONSTRAINT unique_comment_note_text UNIQUE (note_id, sequence_action),
  CONSTRAINT fk_note_comment_uniq FOREIGN KEY (note_id, sequence_action)
    REFERENCES public.note_comments (note_id, sequence_action)
);
CREATE INDEX IF NOT EXISTS note_comments_id_text ON public.note_comments_text (note_id);

CREATE TABLE IF NOT EXISTS public.countries (
  country_id          integer      NOT NULL,
  country_name        varchar(100) NOT NULL,
  country_name_es     varchar(100),
  country_name_en     varchar(100),
  updated             boolean,
  last_update_attempt timestamptz,
  update_failed       boolean DEFAULT false,
  is_maritime         boolean DEFAULT false,
  CONSTRAINT pk_countries PRIMARY KEY (country_id)
);

CREATE TABLE IF NOT EXISTS public.properties (
  key        varchar(32) NOT NULL,
  value      varchar(32),
  updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT pk_properties PRIMARY KEY (key)
);

CREATE TABLE IF NOT EXISTS public.schema_version (
  component  varchar(64) NOT NULL,
  version    varchar(16) NOT NULL,
  updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT pk_schema_version PRIMARY KEY (component)
);
