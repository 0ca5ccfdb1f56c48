import type { Sql } from "postgres";
import { DwhError, classifyPgError } from "./dwh-error.ts";
import { migrationsDirPath, readMigrationFiles, type MigrationFile } from "./_migration-files.ts";
import { DWH_COMPONENT, DWH_SCHEMA_VERSION } from "./schema-version.ts";

/** What migrate reports; consola instances fit. */
export interface MigrateLogger {
  info(message: string): void;
}

export interface MigrateOptions {
  logger?: MigrateLogger;
  /** Directory of NNNN_name.sql files; default: the package's own `sql/`. For tests and tools. */
  migrationsDir?: string | URL;
}

export interface MigrateResult {
  /** The dwh schema version now recorded in public.schema_version. */
  version: string;
  /** File names applied by this call, in order (empty when up to date). */
  applied: string[];
}

interface AppliedRow {
  id: number;
  name: string;
  sha256: string;
}

/**
 * Applies the pending migrations, each file in its own transaction, under a session advisory
 * lock held on one reserved connection: a concurrent call waits and then finds nothing to do.
 * An applied file whose content changed is an error naming it. Keeps the 'dwh' row of
 * public.schema_version current.
 */
export async function migrate(sql: Sql<any>, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.logger;
  const files = await readMigrationFiles(migrationsDirPath(options.migrationsDir));
  const c = await sql.reserve().catch((err: unknown) => {
    throw classifyPgError(err, "cannot connect to migrate");
  });
  let locked = false;
  try {
    // Advisory locks are per database, so migrations of different databases never wait on each other.
    await c`SELECT pg_advisory_lock(hashtextextended('osm-notes-dwh:migrate', 0))`;
    locked = true;
    await ensureHistoryTable(c);
    const applied = await c<AppliedRow[]>`SELECT id, name, sha256 FROM dwh.schema_migrations ORDER BY id`;
    checkApplied(applied, files);

    const done = new Set(applied.map((r) => r.id));
    const pending = files.filter((f) => !done.has(f.id));
    const names: string[] = [];
    for (const file of pending) {
      const started = performance.now();
      await applyFile(c, file);
      names.push(file.name);
      log?.info(`applied ${file.name} (${Math.round(performance.now() - started)} ms)`);
    }
    await upsertSchemaVersion(c);
    if (names.length === 0) log?.info(`dwh schema is up to date (${files.length} migrations, version ${DWH_SCHEMA_VERSION})`);
    return { version: DWH_SCHEMA_VERSION, applied: names };
  } catch (err) {
    throw classifyPgError(err);
  } finally {
    if (locked) await c`SELECT pg_advisory_unlock(hashtextextended('osm-notes-dwh:migrate', 0))`.catch(() => {});
    c.release();
  }
}

async function ensureHistoryTable(c: Sql<any>): Promise<void> {
  // Guarded by to_regclass instead of IF NOT EXISTS: no "already exists, skipping" notices on every run.
  await c.unsafe(`
    DO $$
    BEGIN
      IF to_regclass('dwh.schema_migrations') IS NULL THEN
        CREATE SCHEMA IF NOT EXISTS dwh;
        CREATE TABLE dwh.schema_migrations (
          id          integer     NOT NULL PRIMARY KEY,
          name        text        NOT NULL,
          sha256      char(64)    NOT NULL,
          applied_at  timestamp   NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
          duration_ms integer
        );
      END IF;
    END
    $$`);
}

function checkApplied(applied: AppliedRow[], files: MigrationFile[]): void {
  const byId = new Map(files.map((f) => [f.id, f]));
  for (const row of applied) {
    const file = byId.get(row.id);
    if (!file || file.name !== row.name) {
      throw new DwhError(
        "migration_missing",
        `migration ${row.name} is applied in the database but not shipped in this package`,
        "the database was migrated by a newer or different version: use that version",
      );
    }
    if (file.sha256 !== row.sha256.trim()) {
      throw new DwhError(
        "migration_changed",
        `migration ${file.name} was changed after it was applied (sha256 ${row.sha256.slice(0, 12)}… in the database, ${file.sha256.slice(0, 12)}… on disk)`,
        `applied migrations are immutable: restore ${file.name} and put the change in a new migration`,
      );
    }
  }
}

async function applyFile(c: Sql<any>, file: MigrationFile): Promise<void> {
  const started = performance.now();
  const record = () => c`
    INSERT INTO dwh.schema_migrations (id, name, sha256, duration_ms)
    VALUES (${file.id}, ${file.name}, ${file.sha256}, ${Math.round(performance.now() - started)})`;
  try {
    if (file.noTransaction) {
      // No parameters: sent with the simple protocol, as one statement outside a transaction.
      await c.unsafe(file.text);
      await record();
      return;
    }
    await c.unsafe("BEGIN");
    try {
      await c.unsafe(file.text);
      await record();
      await c.unsafe("COMMIT");
    } catch (err) {
      await c.unsafe("ROLLBACK").catch(() => {});
      throw err;
    }
  } catch (err) {
    const pg = classifyPgError(err);
    throw new DwhError(pg.code === "query_failed" ? "migration_failed" : pg.code, `migration ${file.name} failed: ${pg.message}`, pg.hint, err);
  }
}

async function upsertSchemaVersion(c: Sql<any>): Promise<void> {
  await c.unsafe(`
    DO $$
    BEGIN
      IF to_regclass('public.schema_version') IS NULL THEN
        CREATE TABLE public.schema_version (
          component  varchar(64) NOT NULL,
          version    varchar(16) NOT NULL,
          updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
          CONSTRAINT pk_schema_version PRIMARY KEY (component)
        );
      END IF;
    END
    $$`);
  // updated_at moves only when the version string changes (the contract's rule).
  await c`
    INSERT INTO public.schema_version (component, version) VALUES (${DWH_COMPONENT}, ${DWH_SCHEMA_VERSION})
    ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version,
      updated_at = CASE WHEN public.schema_version.version = EXCLUDED.version
                        THEN public.schema_version.updated_at ELSE CURRENT_TIMESTAMP END`;
}
