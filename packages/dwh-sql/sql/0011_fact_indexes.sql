-- Indexes and foreign keys of dwh.facts, as functions so the ETL can drop them before a
-- first (bulk) load and build them afterwards, which is much faster than maintaining them
-- row by row. Indexes on the partitioned parent cascade to every partition, present and future.
-- Each index names its users; the original's ~30 indexes (several duplicates) are not copied.
CREATE FUNCTION dwh.create_fact_indexes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
BEGIN
  -- ETL: delta anti-join on (note, sequence) and note-level recompute per touched note;
  -- validation functions (latest state per note, duplicate pairs); API note detail.
  CREATE INDEX IF NOT EXISTS facts_note_sequence ON dwh.facts (id_note, sequence_action);
  -- User datamart: actions performed by a user, A(U); API user profile.
  CREATE INDEX IF NOT EXISTS facts_action_user ON dwh.facts (action_dimension_id_user);
  -- User datamart: every row of the notes a user opened, O(U).
  CREATE INDEX IF NOT EXISTS facts_opened_user ON dwh.facts (opened_dimension_id_user);
  -- User datamart: closes by a user, C(U) (datamarts always filter action_comment = 'closed').
  CREATE INDEX IF NOT EXISTS facts_closed_user ON dwh.facts (closed_dimension_id_user)
    WHERE action_comment = 'closed';
  -- Country datamart K(c), CSV export of closed notes per country, API country profile.
  CREATE INDEX IF NOT EXISTS facts_country ON dwh.facts (dimension_id_country);
  -- ETL watermark and the "last 30 days / current year" datamart metrics.
  CREATE INDEX IF NOT EXISTS facts_action_at ON dwh.facts (action_at);
END
$$;

CREATE FUNCTION dwh.drop_fact_indexes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
BEGIN
  DROP INDEX IF EXISTS dwh.facts_note_sequence, dwh.facts_action_user, dwh.facts_opened_user,
    dwh.facts_closed_user, dwh.facts_country, dwh.facts_action_at;
END
$$;

-- Foreign keys from every *_dimension_id_* column to its dimension (kept from the original).
-- Not created by the migrations: the ETL adds them after its first bulk load (checking them
-- per inserted row would dominate that load); dwh.validate_dwh_integrity() checks the same
-- thing at any time. Idempotent.
CREATE FUNCTION dwh.add_fact_foreign_keys() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
DECLARE
  fk record;
  added integer := 0;
BEGIN
  FOR fk IN
    SELECT * FROM (VALUES
      ('fk_facts_country', 'dimension_id_country', 'dimension_countries', 'dimension_country_id'),
      ('fk_facts_action_date', 'action_dimension_id_date', 'dimension_days', 'dimension_day_id'),
      ('fk_facts_action_tow', 'action_dimension_id_hour_of_week', 'dimension_time_of_week', 'dimension_tow_id'),
      ('fk_facts_action_user', 'action_dimension_id_user', 'dimension_users', 'dimension_user_id'),
      ('fk_facts_opened_date', 'opened_dimension_id_date', 'dimension_days', 'dimension_day_id'),
      ('fk_facts_opened_tow', 'opened_dimension_id_hour_of_week', 'dimension_time_of_week', 'dimension_tow_id'),
      ('fk_facts_opened_user', 'opened_dimension_id_user', 'dimension_users', 'dimension_user_id'),
      ('fk_facts_closed_date', 'closed_dimension_id_date', 'dimension_days', 'dimension_day_id'),
      ('fk_facts_closed_tow', 'closed_dimension_id_hour_of_week', 'dimension_time_of_week', 'dimension_tow_id'),
      ('fk_facts_closed_user', 'closed_dimension_id_user', 'dimension_users', 'dimension_user_id'),
      ('fk_facts_application', 'dimension_application_creation', 'dimension_applications', 'dimension_application_id'),
      ('fk_facts_application_version', 'dimension_application_version', 'dimension_application_versions', 'dimension_application_version_id'),
      ('fk_facts_recent_opened_date', 'recent_opened_dimension_id_date', 'dimension_days', 'dimension_day_id'),
      ('fk_facts_timezone', 'action_timezone_id', 'dimension_timezones', 'dimension_timezone_id'),
      ('fk_facts_local_date', 'local_action_dimension_id_date', 'dimension_days', 'dimension_day_id'),
      ('fk_facts_local_tow', 'local_action_dimension_id_hour_of_week', 'dimension_time_of_week', 'dimension_tow_id'),
      ('fk_facts_season', 'action_dimension_id_season', 'dimension_seasons', 'dimension_season_id'),
      ('fk_facts_automation', 'dimension_id_automation', 'dimension_automation_level', 'dimension_automation_id')
    ) AS t(name, col, ref_table, ref_col)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'dwh.facts'::regclass AND conname = fk.name) THEN
      EXECUTE format('ALTER TABLE dwh.facts ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES dwh.%I (%I)',
                     fk.name, fk.col, fk.ref_table, fk.ref_col);
      added := added + 1;
    END IF;
  END LOOP;
  RETURN added;
END
$$;

REVOKE ALL ON FUNCTION dwh.create_fact_indexes(), dwh.drop_fact_indexes(), dwh.add_fact_foreign_keys() FROM PUBLIC;

-- On an empty table the indexes cost nothing; a first load may drop and rebuild them.
SELECT dwh.create_fact_indexes();
