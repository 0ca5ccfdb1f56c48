-- Roles: an ETL writer and a read-only analyst (also the role for Monitoring, the API and
-- exports). Group roles (NOLOGIN): grant them to login roles, e.g.
--   CREATE ROLE etl_user LOGIN PASSWORD '…' IN ROLE osm_notes_etl;
-- Roles are cluster-wide, grants per database: grant_roles creates a role only when missing
-- (tolerating a concurrent creation by another database's migration) and grants every time.
-- Without CREATEROLE the migration still succeeds and warns; an administrator then runs
--   SELECT dwh.grant_roles('osm_notes_etl', 'osm_notes_analyst');
-- (or with other names) in each DWH database.
CREATE FUNCTION dwh.grant_roles(p_writer text, p_analyst text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY[p_writer, p_analyst] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another session
        WHEN insufficient_privilege THEN
          RAISE WARNING 'cannot create role % (no CREATEROLE); run dwh.grant_roles as an administrator', r;
      END;
    END IF;
  END LOOP;

  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_writer) THEN
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA dwh, staging TO %I', p_writer);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA dwh TO %I', p_writer);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA dwh TO %I', p_writer);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA dwh TO %I', p_writer);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON public.schema_version TO %I', p_writer);
    -- Objects later migrations (same owner) create.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA dwh GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO %I', p_writer);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA dwh GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', p_writer);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA dwh GRANT EXECUTE ON FUNCTIONS TO %I', p_writer);
  END IF;

  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_analyst) THEN
    EXECUTE format('GRANT USAGE ON SCHEMA dwh TO %I', p_analyst);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA dwh TO %I', p_analyst);
    EXECUTE format('GRANT SELECT ON public.schema_version TO %I', p_analyst);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dwh.validate_note_current_status(), dwh.validate_comment_counts(), '
                   'dwh.validate_dwh_integrity(), dwh.get_date_id(timestamp), dwh.get_hour_of_week_id(timestamp) TO %I',
                   p_analyst);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA dwh GRANT SELECT ON TABLES TO %I', p_analyst);
  END IF;
END
$$;

-- Functions are executable by PUBLIC by default; the definer-rights ones must not be (an
-- analyst could otherwise create partitions or drop indexes through them), and the validation
-- functions scan a lot: only the two roles get them.
REVOKE ALL ON FUNCTION dwh.grant_roles(text, text), dwh.validate_note_current_status(),
  dwh.validate_comment_counts(), dwh.validate_dwh_integrity() FROM PUBLIC;
-- (Per-schema default privileges cannot revoke PUBLIC's EXECUTE: later definer-rights
-- functions must REVOKE it themselves, as 0002/0010/0011 do.)

SELECT dwh.grant_roles('osm_notes_etl', 'osm_notes_analyst');
