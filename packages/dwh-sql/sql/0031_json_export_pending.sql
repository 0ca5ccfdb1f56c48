-- Which user and country rows the JSON export still has to write, in a narrow table of their
-- own instead of an exported_at column on the wide datamart rows (0016, 0017).
-- Why: marking a full export rewrote every wide row (235 000 user rows, ≈ 520 MB and as much
-- WAL at 1 M notes: ≈ 12 s of a 43 s export, then 1.5 s of VACUUM), only to record one
-- timestamp each. Now a full export deletes 235 000 narrow rows here (the export: 31.5 s).
-- Meaning (§14's "export whenever updated_at > exported_at", as a set): a row is here, with the
-- updated_at it had when it last changed, until an export has written that version. The
-- exporter deletes (id, updated_at) pairs it wrote after its swap, so a row changed meanwhile
-- (another updated_at) stays pending.
-- Kept by statement-level triggers (one insert per statement, set-based), so every writer of
-- the datamarts (builds, the daily time-relative pass, an operator's UPDATE to force an
-- export) queues what it changed; removed entities leave the queue with their row.
-- The global row (one) keeps its exported_at column.
CREATE TABLE dwh.json_export_pending (
  datamart    varchar(9) NOT NULL CHECK (datamart IN ('users', 'countries')),
  id          integer    NOT NULL,
  updated_at  timestamp  NOT NULL,
  PRIMARY KEY (datamart, id)
);

INSERT INTO dwh.json_export_pending (datamart, id, updated_at)
SELECT 'users', user_id, updated_at FROM dwh.datamartusers WHERE NOT json_exported
UNION ALL
SELECT 'countries', country_id, updated_at FROM dwh.datamartcountries WHERE NOT json_exported;

DROP INDEX dwh.datamartusers_export_pending;
DROP INDEX dwh.datamartcountries_export_pending;
ALTER TABLE dwh.datamartusers DROP COLUMN json_exported, DROP COLUMN exported_at;
ALTER TABLE dwh.datamartcountries DROP COLUMN json_exported, DROP COLUMN exported_at;

-- One function for both tables: its arguments name the datamart and the table's key column.
-- PostgreSQL allows transition tables only on single-event triggers: three triggers per table.
CREATE FUNCTION dwh.queue_json_export() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    EXECUTE format('DELETE FROM dwh.json_export_pending p USING gone g WHERE p.datamart = %L AND p.id = g.%I',
                   TG_ARGV[0], TG_ARGV[1]);
  ELSE
    EXECUTE format('INSERT INTO dwh.json_export_pending (datamart, id, updated_at) SELECT %L, %I, updated_at FROM changed
                    ON CONFLICT (datamart, id) DO UPDATE SET updated_at = EXCLUDED.updated_at',
                   TG_ARGV[0], TG_ARGV[1]);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER datamartusers_queue_inserted AFTER INSERT ON dwh.datamartusers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('users', 'user_id');
CREATE TRIGGER datamartusers_queue_updated AFTER UPDATE ON dwh.datamartusers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('users', 'user_id');
CREATE TRIGGER datamartusers_queue_deleted AFTER DELETE ON dwh.datamartusers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('users', 'user_id');

CREATE TRIGGER datamartcountries_queue_inserted AFTER INSERT ON dwh.datamartcountries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('countries', 'country_id');
CREATE TRIGGER datamartcountries_queue_updated AFTER UPDATE ON dwh.datamartcountries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('countries', 'country_id');
CREATE TRIGGER datamartcountries_queue_deleted AFTER DELETE ON dwh.datamartcountries
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION dwh.queue_json_export('countries', 'country_id');
