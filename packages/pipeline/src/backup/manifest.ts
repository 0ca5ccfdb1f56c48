import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PipelineError } from "../pipeline-error.ts";

export const BACKUP_FORMAT = "osm-notes-dwh-backup/1";
export const BACKUP_MANIFEST = "manifest.json";

export interface BackupTableEntry {
  table: string;
  /** Relative to the backup directory: gzip of COPY text. */
  file: string;
  columns: string[];
  rows: number;
  /** sha256 of the uncompressed COPY text. */
  sha256: string;
  bytes: number;
}

/** Everything restore needs besides the table files; written last, so its presence means complete. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** public.schema_version of component dwh at backup time. */
  schemaVersion: string | null;
  /** dwh.schema_migrations: restore migrates an empty database to exactly these first. */
  migrations: { id: number; name: string; sha256: string }[];
  postgresVersion: string;
  tables: BackupTableEntry[];
  partitions: { table: string; parent: string; bound: string }[];
  sequences: { sequence: string; lastValue: string; isCalled: boolean }[];
  /** The JSON export tree copied under export/, when an export directory was given. */
  export: { files: number; bytes: number; manifestPresent: boolean } | null;
}

export async function readBackupManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, BACKUP_MANIFEST), "utf8");
  } catch (err) {
    throw new PipelineError("backup_invalid", `${dir} has no ${BACKUP_MANIFEST}`,
      "Point --from at a directory written by `backup` (an interrupted backup has no manifest).", err);
  }
  const manifest = JSON.parse(text) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.tables) || !Array.isArray(manifest.migrations))
    throw new PipelineError("backup_invalid", `${dir}/${BACKUP_MANIFEST} is not a backup manifest of format ${BACKUP_FORMAT}`,
      "Use a backup written by this version of `backup`.");
  return manifest;
}
