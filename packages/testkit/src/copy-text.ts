import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Sql } from "./connect.ts";
import type { TransactionSql } from "postgres";

/** One field of PostgreSQL's COPY text format: NULL as \N, backslash and control characters escaped. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  // Fast path: most fields need no escaping.
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** One COPY text line from its fields. */
export function copyLine(fields: readonly (string | number | null | undefined)[]): string {
  let line = copyField(fields[0]);
  for (let i = 1; i < fields.length; i++) line += "\t" + copyField(fields[i]);
  return line + "\n";
}

/**
 * Streams text chunks into `COPY … FROM STDIN` with backpressure. If the source throws, the
 * COPY is aborted (CopyFail) and the error is rethrown, so an enclosing transaction rolls back.
 */
export async function copyFrom(sql: Sql | TransactionSql<{}>, copyStatement: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const writable = await sql.unsafe(copyStatement).writable();
  await pipeline(Readable.from(chunks, { objectMode: false }), writable);
}
