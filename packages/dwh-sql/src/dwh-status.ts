import type { Sql } from "postgres";
import { classifyPgError } from "./dwh-error.ts";
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from "./_migration-files.ts";
import { DWH_COMPONENT, DWH_SCHEMA_VERSION, isCompatibleVersion } from "./schema-version.ts";

export interface DwhStatus {
  /** public.schema_version row 'dwh', or null when the database was never migrated. */
  schemaVersion: string | null;
  /** The version this package creates (DWH_SCHEMA_VERSION). */
  expectedVersion: string;
  /** Same major, not older, and no migration of this package pending. */
  compatible: boolean;
  /** Migration files of this package not applied yet, in order. */
  pending: string[];
}

/**
 * What a sibling project (API, health, Monitoring) checks at start: is this database's dwh
 * schema the one this package version expects? Read-only; works for the analyst role.
 */
export async function dwhStatus(sql: Sql<any>): Promise<DwhStatus> {
  const files = await readMigrationFiles(DEFAULT_MIGRATIONS_DIR);
  try {
    // Two steps: a query naming a missing table fails at parse time, whatever CASE guards it.
    const [tables] = await sql<{ versions: boolean; history: boolean }[]>`
      SELECT to_regclass('public.schema_version') IS NOT NULL AS versions,
             to_regclass('dwh.schema_migrations') IS NOT NULL AS history`;
    const [row] = tables?.versions
      ? await sql<{ version: string }[]>`SELECT version FROM public.schema_version WHERE component = ${DWH_COMPONENT}`
      : [];
    const applied = tables?.history
      ? new Set((await sql<{ name: string }[]>`SELECT name FROM dwh.schema_migrations`).map((r) => r.name))
      : new Set<string>();
    const pending = files.filter((f) => !applied.has(f.name)).map((f) => f.name);
    const schemaVersion = row?.version ?? null;
    return {
      schemaVersion,
      expectedVersion: DWH_SCHEMA_VERSION,
      compatible: schemaVersion !== null && pending.length === 0 && isCompatibleVersion(schemaVersion, DWH_SCHEMA_VERSION),
      pending,
    };
  } catch (err) {
    throw classifyPgError(err, "cannot read the dwh schema version");
  }
}
