import { cp, mkdir, readdir, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { createGzip } from "node:zlib";
import type { Sql } from "postgres";
import { messageOf, PipelineError } from "../pipeline-error.ts";
import { dwhPartitions, dwhSequences, dwhTables, quoteIdent } from "./_catalog.ts";
import { CountingHash, resumeCopySocket } from "./_copy-streams.ts";
import { BACKUP_FORMAT, BACKUP_MANIFEST, type BackupManifest, type BackupTableEntry } from "./manifest.ts";

export interface BackupOptions {
  /** Directory to create (must not exist, or be empty). */
  outDir: string;
  /** The JSON export directory (OSMN_EXPORT_DIR): its current tree is copied under export/. */
  exportDir?: string;
  logger?: { info(message: string, fields?: Record<string, unknown>): void };
}

export interface BackupReport {
  outDir: string;
  tables: number;
  rows: number;
  /** Uncompressed COPY text / gzip files on disk. */
  bytes: number;
  compressedBytes: number;
  exportFiles: number;
  seconds: number;
}

/**
 * A logical backup of schema dwh that needs no pg_dump: every dwh table as gzip'd COPY text
 * (one file per table, parents before children), read in ONE repeatable-read snapshot, plus a
 * manifest with the migration history (restore rebuilds the schema with `migrate`, so DDL is
 * never dumped), the partitions, the sequence positions, row counts and sha256 per file.
 * Written into a sibling temporary directory and renamed into place at the end: a backup
 * directory that exists is complete.
 */
export async function backup(sql: Sql<any>, options: BackupOptions): Promise<BackupReport> {
  const started = performance.now();
  const outDir = options.outDir;
  if (existsSync(outDir) && (await readdir(outDir)).length > 0)
    throw new PipelineError("target_not_empty", `${outDir} exists and is not empty`, "Give a new directory (e.g. one per day: backups/dwh-YYYYMMDD).");
  const work = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, "tables"), { recursive: true });
  try {
    const manifest = await sql.begin("isolation level repeatable read read only", async (tx) => {
      const [info] = await tx<{ pg: string; version: string | null }[]>`
        SELECT current_setting('server_version') AS pg,
               (SELECT version FROM public.schema_version WHERE component = 'dwh') AS version`;
      const migrations = await tx<{ id: number; name: string; sha256: string }[]>`
        SELECT id, name, trim(sha256) AS sha256 FROM dwh.schema_migrations ORDER BY id`;
      const tables: BackupTableEntry[] = [];
      const catalog = await dwhTables(tx);
      for (const [i, t] of catalog.entries()) {
        const file = `tables/${String(i + 1).padStart(3, "0")}_${t.table}.copy.gz`;
        const counter = new CountingHash();
        const columns = t.columns.map(quoteIdent).join(", ");
        // SELECT form: COPY of a partitioned table itself is refused.
        const readable = await tx.unsafe(`COPY (SELECT ${columns} FROM ${t.name} ) TO STDOUT`).readable();
        try {
          await pipeline(readable, counter, createGzip({ level: 6 }), createWriteStream(join(work, file)));
        } finally {
          resumeCopySocket(readable);
        }
        tables.push({ table: t.table, file, columns: t.columns, rows: counter.rows, sha256: counter.digest(), bytes: counter.bytes });
        options.logger?.info(`backup ${t.table}: ${counter.rows} rows`, { table: t.table, rows: counter.rows });
      }
      const sequences = [];
      for (const s of await dwhSequences(tx)) {
        const [v] = await tx.unsafe<{ last_value: string; is_called: boolean }[]>(`SELECT last_value::text, is_called FROM dwh.${quoteIdent(s)}`);
        sequences.push({ sequence: s, lastValue: v!.last_value, isCalled: v!.is_called });
      }
      const m: BackupManifest = {
        format: BACKUP_FORMAT,
        createdAt: new Date().toISOString(),
        schemaVersion: info!.version,
        migrations: [...migrations],
        postgresVersion: info!.pg,
        tables,
        partitions: [...(await dwhPartitions(tx))],
        sequences,
        export: null,
      };
      return m;
    });

    if (options.exportDir !== undefined && existsSync(options.exportDir)) {
      // The version directory the export link points at: a swap during the copy cannot mix trees.
      const tree = await realpath(options.exportDir);
      await cp(tree, join(work, "export"), { recursive: true, dereference: true });
      const files = await listFiles(join(work, "export"));
      manifest.export = { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0), manifestPresent: existsSync(join(tree, ".manifest.json")) };
    }
    await writeFile(join(work, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(outDir)) await rm(outDir, { recursive: true });
    await rename(work, outDir);

    const compressed = await listFiles(join(outDir, "tables"));
    return {
      outDir,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      bytes: manifest.tables.reduce((n, t) => n + t.bytes, 0),
      compressedBytes: compressed.reduce((n, f) => n + f.bytes, 0),
      exportFiles: manifest.export?.files ?? 0,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    if (err instanceof PipelineError) throw err;
    throw new PipelineError("query_failed", `backup failed: ${messageOf(err)}`,
      (err as { code?: string }).code === "42P01" ? "The database has no dwh schema: run `migrate` (and an ETL) first." : "See the error above; nothing was written.", err);
  }
}

export async function listFiles(dir: string): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number }[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, bytes: (await stat(path)).size });
  }
  return out;
}
