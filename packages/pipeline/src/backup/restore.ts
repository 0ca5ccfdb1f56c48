import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { DWH_MIGRATIONS_DIR, migrate } from "@osm-notes/dwh-sql";
import type { Sql } from "postgres";
import { messageOf, PipelineError } from "../pipeline-error.ts";
import { quoteIdent } from "./_catalog.ts";
import { CountingHash } from "./_copy-streams.ts";
import { readBackupManifest, type BackupManifest } from "./manifest.ts";

export interface RestoreOptions {
  /** A directory written by `backup`. */
  from: string;
  /** Where to put the backed-up JSON export tree (must not exist); skipped when undefined. */
  exportDir?: string;
  logger?: { info(message: string, fields?: Record<string, unknown>): void };
}

export interface RestoreReport {
  from: string;
  /** The dwh schema version after restore (the backup's migrations, then any newer shipped ones). */
  migrationsApplied: string[];
  tables: number;
  rows: number;
  exportDir: string | null;
  seconds: number;
}

/**
 * Restores a `backup` into a database whose dwh is empty (a new `createdb`, or one only
 * migrated): migrates it to exactly the backup's migrations, then in ONE transaction empties
 * the tables the migrations seeded, creates the backed-up partitions, COPYs every table back in
 * dependency order (checking each file's sha256 and row count before committing) and sets the
 * sequences; then migrates forward to this version's schema. A damaged file rolls everything
 * back. Optionally puts the export tree back as the export directory.
 */
export async function restore(sql: Sql<any>, options: RestoreOptions): Promise<RestoreReport> {
  const started = performance.now();
  const manifest = await readBackupManifest(options.from);
  if (options.exportDir !== undefined && existsSync(options.exportDir))
    throw new PipelineError("target_not_empty", `${options.exportDir} already exists`, "Restore the export tree into a new path, or move the existing one away.");
  await assertEmptyDwh(sql);

  // 1. The schema the backup was taken with: its own migrations, no newer ones yet.
  const prefix = await migrationsPrefix(manifest);
  try {
    await migrate(sql, { migrationsDir: prefix });
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }

  // 2. The rows, all or nothing.
  let rows = 0;
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL TimeZone = 'UTC'`);
      // Migrations seed static dimensions (days, badges, …); the backup has them too.
      await tx.unsafe(`TRUNCATE ${manifest.tables.map((t) => `dwh.${quoteIdent(t.table)}`).join(", ")}`);
      for (const p of manifest.partitions) {
        const [exists] = await tx<{ ok: boolean }[]>`SELECT to_regclass(${`dwh.${quoteIdent(p.table)}`}) IS NOT NULL AS ok`;
        if (!exists!.ok) await tx.unsafe(`CREATE TABLE dwh.${quoteIdent(p.table)} PARTITION OF dwh.${quoteIdent(p.parent)} ${p.bound}`);
      }
      // Rows go back as they were: triggers (the JSON export queue's, 0031) would queue every
      // datamart row again while the queue's own backup is loaded too. Transactional: they are
      // enabled again at commit, and stay enabled on a rollback. The badge ids' checks (0046)
      // are off too: the rows are the source's (every file's sha256 is checked), which held them.
      const tables = manifest.tables.map((t) => `dwh.${quoteIdent(t.table)}`);
      for (const t of tables) await tx.unsafe(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
      for (const t of manifest.tables) {
        const counter = new CountingHash();
        const writable = await tx.unsafe(`COPY dwh.${quoteIdent(t.table)} (${t.columns.map(quoteIdent).join(", ")}) FROM STDIN`).writable();
        await pipeline(createReadStream(join(options.from, t.file)), createGunzip(), counter, writable);
        const sha = counter.digest();
        if (sha !== t.sha256 || counter.rows !== t.rows)
          throw new PipelineError("backup_invalid", `${t.file} does not match the manifest (${counter.rows} rows, sha256 ${sha.slice(0, 12)}…; expected ${t.rows}, ${t.sha256.slice(0, 12)}…)`,
            "The backup is damaged: restore another one. Nothing was restored.");
        rows += counter.rows;
        options.logger?.info(`restore ${t.table}: ${counter.rows} rows`, { table: t.table, rows: counter.rows });
      }
      for (const t of tables) await tx.unsafe(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
      for (const s of manifest.sequences) {
        await tx.unsafe(`SELECT setval('dwh.${quoteIdent(s.sequence).replace(/'/g, "''")}', ${BigInt(s.lastValue)}, ${s.isCalled ? "true" : "false"})`);
      }
    });
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw new PipelineError("query_failed", `restore failed: ${messageOf(err)}`, "Nothing was restored (one transaction); check the target database and the backup.", err);
  }
  // 3. Planner statistics for the loaded tables, then this version's newer migrations.
  await sql.unsafe(`ANALYZE ${manifest.tables.map((t) => `dwh.${quoteIdent(t.table)}`).join(", ")}`);
  const forward = await migrate(sql);

  let exportDir: string | null = null;
  if (options.exportDir !== undefined && manifest.export !== null) {
    exportDir = options.exportDir;
    // The exporter's layout: the path is a symlink to a sibling version directory.
    const version = join(dirname(exportDir), `${basename(exportDir)}.v-${new Date().toISOString().replace(/[-:.]/g, "")}-restored`);
    await mkdir(dirname(exportDir), { recursive: true });
    await cp(join(options.from, "export"), version, { recursive: true });
    await symlink(basename(version), exportDir);
  }
  return {
    from: options.from,
    migrationsApplied: [...manifest.migrations.map((m) => m.name), ...forward.applied.filter((n) => !manifest.migrations.some((m) => m.name === n))],
    tables: manifest.tables.length,
    rows,
    exportDir,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

async function assertEmptyDwh(sql: Sql<any>): Promise<void> {
  const [state] = await sql<{ has_dwh: boolean }[]>`SELECT to_regclass('dwh.etl_runs') IS NOT NULL AS has_dwh`;
  if (!state!.has_dwh) return;
  const [used] = await sql<{ used: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM dwh.etl_runs) OR EXISTS (SELECT 1 FROM dwh.facts) OR EXISTS (SELECT 1 FROM dwh.datamartusers) AS used`;
  if (used!.used)
    throw new PipelineError("target_not_empty", "The target database already holds warehouse data (ETL runs, facts or datamarts)",
      "Restore into an empty database: createdb a new one and point DATABASE_URL at it.");
}

/** A temporary directory with the shipped migration files the backup recorded, checked by name and sha256. */
async function migrationsPrefix(manifest: BackupManifest): Promise<string> {
  const shipped = (await readdir(DWH_MIGRATIONS_DIR)).filter((n) => /^\d{4}_.*\.sql$/.test(n)).sort();
  const dir = await mkdtemp(join(tmpdir(), "osmn-restore-migrations-"));
  try {
    for (const m of manifest.migrations) {
      const name = shipped.find((n) => Number(n.slice(0, 4)) === m.id);
      if (name !== m.name)
        throw new PipelineError("backup_invalid", `The backup's schema has migration ${m.name}, which this version does not ship${name ? ` (it has ${name})` : ""}`,
          "Restore with the version of osm-notes-analytics that took the backup (or a newer one).");
      const text = await readFile(join(DWH_MIGRATIONS_DIR, name));
      if (createHash("sha256").update(text.toString("utf8")).digest("hex") !== m.sha256)
        throw new PipelineError("backup_invalid", `Migration ${name} differs from the one the backup's database applied`,
          "Restore with the version of osm-notes-analytics that took the backup.");
      await copyFile(join(DWH_MIGRATIONS_DIR, name), join(dir, name));
    }
    return dir;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
