-- Text-typed staging for one planet/API load (a COPY into typed columns that the server
-- rejects can hang postgres.js). One table for both row kinds, so one COPY stream suffices:
--   kind 'n': note_id, a=latitude, b=longitude, c=created_at, d=closed_at, e=status,
--             f=id_country assigned offline during the read (NULL when not assigning)
--   kind 'c': note_id, seq, a=event, b=created_at, c=uid, d=username, e=body
CREATE TEMP TABLE osmn_planet_rows (
  kind    text,
  note_id text,
  seq     text,
  a text, b text, c text, d text, e text, f text
) ON COMMIT DROP;
