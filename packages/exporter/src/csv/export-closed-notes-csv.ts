import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Sql } from "postgres";
import { toExporterError } from "../database/_database-error.ts";
import { sqlFile } from "../database/_sql-files.ts";
import { currentVersionDir, discardStaleVersions, newVersionDir, pointAt } from "../tree/_swap.ts";
import { CLOSED_NOTES_CSV_COLUMNS, type ClosedNoteCsvRow } from "./closed-notes-columns.ts";
import { csvFileName } from "./csv-file-name.ts";
import { writeCsvFile } from "./csv-writer.ts";

export interface ExportClosedNotesCsvOptions {
  /** The directory of the CSV files (csv/notes-by-country in OSM-Notes-Data). */
  outDir: string;
  /** Most recent closes kept per country (default 400 000, as the original). */
  maxRowsPerCountry?: number;
  /** Rows fetched per round trip of the cursor (default 2 000). */
  batchSize?: number;
  /** Called after each country's file. */
  onCountry?: (file: CsvCountryFile) => void;
}

export interface CsvCountryFile {
  countryId: number;
  file: string;
  rows: number;
  bytes: number;
}

export interface ClosedNotesCsvReport {
  outDir: string;
  /** The version directory outDir now points at. */
  versionDir: string;
  files: CsvCountryFile[];
  rows: number;
  bytes: number;
  seconds: number;
}

type Row = { country_id: number } & Record<(typeof CLOSED_NOTES_CSV_COLUMNS)[number], string | number>;

/**
 * `export csv --out DIR`: one RFC 4180 file per country with closed notes, named
 * csvFileName(country_id, country_name), streamed from one query through a cursor (rows ordered
 * by country, so each file is written while the next rows arrive; memory does not grow with the
 * number of notes). All files go into a new version directory beside outDir that replaces the
 * previous one with one rename of the outDir symlink (as the JSON tree): readers see the old set
 * or the new set, never a mix, and a failed export leaves the old set untouched. Countries
 * without closed notes get no file (the original deleted empty results).
 */
export async function exportClosedNotesCsv(sql: Sql<any>, options: ExportClosedNotesCsvOptions): Promise<ClosedNotesCsvReport> {
  const started = performance.now();
  const { outDir } = options;
  const max = options.maxRowsPerCountry ?? 400_000;
  await mkdir(dirname(outDir), { recursive: true });
  const previous = await currentVersionDir(outDir);
  await discardStaleVersions(outDir, [previous]);
  const versionDir = newVersionDir(outDir);
  await mkdir(versionDir);
  const files: CsvCountryFile[] = [];
  const conn = await sql.reserve().catch((err: unknown) => {
    throw toExporterError(err, "connecting for the CSV export");
  });
  let open = false;
  try {
    await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    open = true;
    const cursor = conn.unsafe<Row[]>(sqlFile("csv/closed-notes"), [max]).cursor(options.batchSize ?? 2_000);
    const batches = cursor[Symbol.asyncIterator]();
    const rows = peekable(batches);
    try {
      while ((await rows.peek()) !== undefined) {
        const first = (await rows.peek())!;
        const countryId = first.country_id;
        const file = csvFileName(countryId, String(first.country_name));
        // The rows of this country, in order; the next country's first row stays in the buffer.
        async function* ofCountry(): AsyncIterable<ClosedNoteCsvRow> {
          while (true) {
            const r = await rows.peek();
            if (r === undefined || r.country_id !== countryId) return;
            rows.take();
            yield CLOSED_NOTES_CSV_COLUMNS.map((c) => r[c]) as unknown as ClosedNoteCsvRow;
          }
        }
        const written = await writeCsvFile(join(versionDir, file), ofCountry());
        const entry = { countryId, file, rows: written.rows, bytes: written.bytes };
        files.push(entry);
        options.onCountry?.(entry);
      }
    } catch (err) {
      // Close the portal, or the ROLLBACK in the finally below would wait behind it.
      await batches.return?.();
      throw err;
    }
    await conn.unsafe("COMMIT");
    open = false;
    await pointAt(outDir, versionDir);
  } catch (err) {
    await rm(versionDir, { recursive: true, force: true });
    throw toExporterError(err, "exporting closed notes to CSV");
  } finally {
    if (open) await conn.unsafe("ROLLBACK").catch(() => undefined);
    conn.release();
  }
  return {
    outDir,
    versionDir,
    files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/** A row iterator over cursor batches with one row of look-ahead. */
function peekable<T>(batches: AsyncIterator<T[]>) {
  let batch: T[] = [];
  let i = 0;
  let done = false;
  return {
    async peek(): Promise<T | undefined> {
      while (i >= batch.length && !done) {
        const next = await batches.next();
        if (next.done) done = true;
        else (batch = next.value), (i = 0);
      }
      return i < batch.length ? batch[i] : undefined;
    },
    take(): void {
      i += 1;
    },
  };
}
