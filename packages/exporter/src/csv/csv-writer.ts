import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { basename, dirname, join } from "node:path";
import { ExporterError } from "../exporter-error.ts";
import { CLOSED_NOTES_CSV_COLUMNS } from "./closed-notes-columns.ts";

export type CsvValue = string | number | boolean | null | undefined;

export interface WriteCsvOptions {
  /** Header row; default the 13 closed-notes columns. Every row must have as many values. */
  header?: readonly string[];
  /** Record separator; RFC 4180 says CRLF (default). Newlines inside fields are kept as is. */
  lineEnding?: "\r\n" | "\n";
}

export interface WriteCsvReport {
  path: string;
  rows: number;
  bytes: number;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ExporterError("invalid_csv_row", `not a finite number: ${value}`, "check the row");
    return String(value);
  }
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record, without its line ending. */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",");
}

/**
 * Streams rows into a UTF-8 CSV file. Written to a temporary file beside path and renamed at
 * the end, so a reader sees the old file or the complete new one; a failing row source leaves
 * no partial file behind.
 */
export async function writeCsvFile(
  path: string,
  rows: AsyncIterable<readonly CsvValue[]> | Iterable<readonly CsvValue[]>,
  options: WriteCsvOptions = {},
): Promise<WriteCsvReport> {
  const header = options.header ?? CLOSED_NOTES_CSV_COLUMNS;
  const eol = options.lineEnding ?? "\r\n";
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  // A node:fs stream (also runs under Node); writes are batched into ~1 MiB chunks and the
  // stream's back-pressure is honoured, so memory stays flat for 400 000-row countries.
  const sink = createWriteStream(tmp, { flags: "wx" });
  const opened = once(sink, "open");
  let bytes = 0;
  let count = 0;
  let batch: string[] = [];
  let batchLength = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const chunk = Buffer.from(batch.join(""));
    batch = [];
    batchLength = 0;
    bytes += chunk.byteLength;
    if (!sink.write(chunk)) await once(sink, "drain");
  };
  const put = async (text: string): Promise<void> => {
    batch.push(text);
    batchLength += text.length;
    if (batchLength >= 1 << 20) await flush();
  };
  try {
    await opened;
    await put(csvRecord(header) + eol);
    for await (const row of rows) {
      if (row.length !== header.length) {
        throw new ExporterError(
          "invalid_csv_row",
          `row ${count + 1} has ${row.length} values, the header has ${header.length}`,
          "the row source must yield one value per column, in header order",
        );
      }
      await put(csvRecord(row) + eol);
      count += 1;
    }
    await flush();
    await new Promise<void>((resolve, reject) => sink.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(tmp, path);
  } catch (err) {
    sink.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return { path, rows: count, bytes };
}
