-- Drops every constraint (but NOT NULL) and index of the five data tables, so a bulk load
-- into EMPTY tables runs without per-row index and foreign-key work; base-indexes.sql then
-- rebuilds them in bulk, which also validates the loaded rows. Run inside the load's
-- transaction so a failed load keeps the tables as they were.
DO $$
DECLARE
  r record;
BEGIN
  -- Foreign keys first: they depend on the keys they reference.
  FOR r IN
    SELECT conrelid::regclass AS tbl, conname
    FROM pg_constraint
    WHERE conrelid IN ('public.users'::regclass, 'public.notes'::regclass, 'public.note_comments'::regclass,
                       'public.note_comments_text'::regclass, 'public.countries'::regclass)
      AND contype IN ('f', 'p', 'u')
    ORDER BY contype = 'f' DESC
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
  FOR r IN
    SELECT i.indexrelid::regclass AS idx
    FROM pg_index i
    WHERE i.indrelid IN ('public.users'::regclass, 'public.notes'::regclass, 'public.note_comments'::regclass,
                         'public.note_comments_text'::regclass, 'public.countries'::regclass)
  LOOP
    EXECUTE format('DROP INDEX %s', r.idx);
  END LOOP;
END
$$;
