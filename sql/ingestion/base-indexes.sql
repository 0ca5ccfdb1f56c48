-- Constraints and indexes of the base-table contract (names as in OSM-Notes-Ingestion).
-- Idempotent: each constraint is added only when missing, indexes use IF NOT EXISTS.
-- Order matters: primary and unique keys before the foreign keys that reference them.

DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT * FROM (VALUES
      (1, 'public.users',              'pk_users',                 'PRIMARY KEY (user_id)'),
      (2, 'public.notes',              'pk_notes',                 'PRIMARY KEY (note_id)'),
      (3, 'public.note_comments',      'pk_note_comments',         'PRIMARY KEY (id)'),
      (4, 'public.note_comments',      'unique_comment_note',      'UNIQUE (note_id, sequence_action)'),
      (5, 'public.note_comments',      'fk_notes',                 'FOREIGN KEY (note_id) REFERENCES public.notes (note_id)'),
      (6, 'public.note_comments',      'fk_users',                 'FOREIGN KEY (id_user) REFERENCES public.users (user_id)'),
      (7, 'public.note_comments_text', 'pk_text_comments',         'PRIMARY KEY (id)'),
      (8, 'public.note_comments_text', 'unique_comment_note_text', 'UNIQUE (note_id, sequence_action)'),
      (9, 'public.note_comments_text', 'fk_note_comment_uniq',     'FOREIGN KEY (note_id, sequence_action) REFERENCES public.note_comments (note_id, sequence_action)'),
      (10, 'public.countries',         'pk_countries',             'PRIMARY KEY (country_id)'),
      (11, 'public.properties',        'pk_properties',            'PRIMARY KEY (key)'),
      (12, 'public.schema_version',    'pk_schema_version',        'PRIMARY KEY (component)')
    ) AS t(ord, tbl, name, def)
    ORDER BY ord
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = c.name AND conrelid = c.tbl::regclass) THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.tbl, c.name, c.def);
    END IF;
  END LOOP;
END
$$;

CREATE INDEX IF NOT EXISTS usernames ON public.users (username);
CREATE INDEX IF NOT EXISTS username_uniq ON public.users (username);

CREATE INDEX IF NOT EXISTS notes_closed ON public.notes (closed_at);
CREATE INDEX IF NOT EXISTS notes_created ON public.notes (created_at DESC);
CREATE INDEX IF NOT EXISTS notes_countries ON public.notes (id_country);
CREATE INDEX IF NOT EXISTS notes_country_note_id ON public.notes (id_country, note_id)
  WHERE id_country IS NOT NULL;

CREATE INDEX IF NOT EXISTS note_comments_id ON public.note_comments (note_id);
CREATE INDEX IF NOT EXISTS note_comments_users ON public.note_comments (id_user);
CREATE INDEX IF NOT EXISTS note_comments_created ON public.note_comments (created_at);
CREATE INDEX IF NOT EXISTS note_comments_id_event ON public.note_comments (note_id, event);
CREATE INDEX IF NOT EXISTS note_comments_id_created ON public.note_comments (note_id, created_at DESC);

CREATE INDEX IF NOT EXISTS note_comments_id_text ON public.note_comments_text (note_id);
