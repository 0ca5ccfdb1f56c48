import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "postgres";
import { exportJson, type CurrentTree, type ExportJsonOptions } from "../export-json.ts";
import { gitBlobId } from "../git-blob-id.ts";
import { currentVersionDir } from "../tree/_swap.ts";
import { MANIFEST_FILE } from "../tree/manifest.ts";
import { ManifestText } from "../tree/manifest-text.ts";
import { datamartExportSource, defaultProfileWorkers, FIRST_PUBLISHED_USER, type DatamartExportSourceOptions } from "./datamart-export-source.ts";
import { profilePool, type ProfilePool } from "./_profile-pool.ts";
import { sqlFile } from "./_sql-files.ts";
import { toExporterError } from "./_database-error.ts";

export interface ExportJsonFromDatabaseOptions extends ExportJsonOptions, DatamartExportSourceOptions {}

export interface JsonExportReport {
  outDir: string;
  /** The version directory outDir now points at. */
  versionDir: string;
  mode: "full" | "incremental";
  /** Why a full export ran although --full was not given (first export, other tree, …). */
  fullReason?: string;
  /** Entities in the new tree (= entries of the indexes). */
  users: number;
  countries: number;
  /** Documents given to the writer: profiles read (all, or the changed ones) + 4 fixed files. */
  documents: number;
  /** Files whose bytes are new. */
  written: number;
  /** Documents given again with identical bytes (hard links). */
  unchanged: number;
  /** Files of the previous tree carried over untouched (incremental). */
  carried: number;
  /** Files of the previous tree that are gone (removed users or countries). */
  deleted: number;
  /**
   * Incremental: "reused" when the version before the current one was brought up to date (cost
   * ∝ changes), "linked" when the whole tree was hard-linked into a fresh directory (the first
   * incremental export after a full one, or after a failed run).
   */
  base?: "reused" | "linked";
  seconds: number;
}

/**
 * `export json --out DIR [--full]`: the datamarts → the Viewer's JSON tree, validated and
 * swapped in atomically, then recorded in the database (the rows written leave
 * dwh.json_export_pending, the tree's manifest goes to dwh.json_export_state).
 *
 * Incremental (the default) only when the tree at outDir is the one the database recorded as
 * last exported (same manifest blob id): the pending rows are what that tree lacks, and no
 * other tree's.
 * Otherwise (first export, another directory, a tree changed by hand, a failed recording) the
 * export is full, and the report says why.
 */
export async function exportJsonFromDatabase(sql: Sql<any>, options: ExportJsonFromDatabaseOptions): Promise<JsonExportReport> {
  const started = performance.now();
  const { outDir, full, asOf, batchSize, writeSql, now, profileWorkers, validateProfiles: _v, pool: _p, ...treeOptions } = options;
  // Profiles are validated where they are prepared (worker threads, started first so they
  // warm up while the previous tree is read), with the default validator; a custom one is a
  // function, which cannot cross threads: the writer runs it on plain documents.
  const validateProfiles = typeof treeOptions.validate === "function" ? "writer" : treeOptions.validate !== false;
  let pool: ProfilePool | undefined;
  try {
    let fullReason: string | undefined;
    let current: CurrentTree | undefined;
    if (full !== true) {
      const found = await whyFull(writeSql ?? sql, outDir);
      if ("reason" in found) fullReason = found.reason;
      else current = found.current;
    }
    const workers = profileWorkers ?? (await workersFor(sql, full === true || fullReason !== undefined));
    // Started before the tree and the previous manifest are read, so they warm up meanwhile.
    if (validateProfiles !== "writer") pool = profilePool(workers, validateProfiles);
    const source = datamartExportSource(sql, { asOf, batchSize, writeSql, now, validateProfiles, profileWorkers: workers, ...(pool !== undefined ? { pool } : {}) });
    // A full export leaves a twin (hard links, made after the swap) for the next incremental
    // one to reuse.
    const tree = await exportJson(source, { twin: "background", ...treeOptions, outDir, full: full === true || fullReason !== undefined, ...(current !== undefined ? { current } : {}) });
    const snap = source.snapshot!;
    return {
      outDir,
      versionDir: tree.versionDir,
      mode: snap.mode,
      ...(snap.mode === "full" && fullReason !== undefined ? { fullReason } : {}),
      users: snap.users,
      countries: snap.countries,
      documents: snap.userProfiles + snap.countryProfiles + 4,
      written: tree.written.length,
      unchanged: tree.unchanged,
      carried: tree.carried,
      deleted: tree.deleted.length,
      ...(tree.base !== undefined ? { base: tree.base } : {}),
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    await pool?.close();
  }
}

/**
 * Below this many pending profiles an incremental export prepares them on the main thread:
 * starting the workers (a Bun runtime each, the modules, the validator) costs more than they
 * save. At 1 M notes, 1 975 pending profiles (27 MB of rows): 2.8 s inline against 3.2 s with
 * two workers; ≈ 10 000 pending: even.
 */
export const INLINE_PROFILES_BELOW = 8_000;

/** Worker threads for this export: one per CPU for a full export or a large incremental one. */
async function workersFor(sql: Sql<any>, full: boolean): Promise<number> {
  if (full) return defaultProfileWorkers();
  let pending: number;
  try {
    const [row] = await sql.unsafe<Array<{ pending: number }>>(sqlFile("json/user-profiles-pending-count"), [FIRST_PUBLISHED_USER]);
    pending = row?.pending ?? 0;
  } catch (err) {
    throw toExporterError(err, "counting the profiles to export");
  }
  return pending < INLINE_PROFILES_BELOW ? 0 : defaultProfileWorkers();
}

/**
 * Why the export must be full, or the current tree an incremental export builds on (its
 * manifest indexed here, so exportJson does not read the 21 MB again).
 */
async function whyFull(sql: Sql<any>, outDir: string): Promise<{ reason: string } | { current: CurrentTree }> {
  const previous = await currentVersionDir(outDir);
  if (previous === undefined) return { reason: "no previous tree" };
  let manifest: Buffer;
  try {
    manifest = await readFile(join(previous, MANIFEST_FILE));
  } catch {
    return { reason: "the previous tree has no manifest" };
  }
  let state: Array<{ manifest_blob_id: string }>;
  try {
    state = await sql.unsafe(sqlFile("json/read-state"));
  } catch (err) {
    throw toExporterError(err, "reading dwh.json_export_state");
  }
  if (state[0] === undefined) return { reason: "the database has no record of a previous export" };
  if (state[0].manifest_blob_id !== gitBlobId(manifest)) {
    return { reason: "the tree at the output directory is not the one the database recorded as last exported" };
  }
  try {
    return { current: { dir: previous, manifest: ManifestText.fromBytes(manifest) } };
  } catch {
    return { reason: "the previous tree's manifest is not in a known format" };
  }
}
