import { ExporterError } from "../exporter-error.ts";

// User profile rows read as plain columns (json/user-profiles-*.sql: `u.*` and the two
// contributor type names) and turned into the object row_to_json(u) would have given, key for
// key and value for value. row_to_json cost the server 2.5 times a plain text output
// (measured at 1 M notes over 235 000 rows: 17.7 s against 6.8 s; PostgreSQL fetches each of
// the 101 attributes with heap_getattr, a walk from the row's start once a row has a NULL, and
// escapes every key) and sent 77 % more bytes (186 against 105 MB for 30 000 rows); parsing
// the columns here costs what parsing the JSON row did (≈ 30 µs per row).

/** A column of the result (from its RowDescription): name and type OID. */
export interface ProfileColumn {
  name: string;
  type: number;
}

/** The columns after the datamart row's: the contributor type's names. */
export const TYPE_NAME_COLUMNS = ["type_name", "type_name_en"] as const;

const INT2 = 21;
const INT4 = 23;
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const JSONB = 3802;
const JSON_TYPE = 114;
const TEXT_TYPES = new Set([25, 1042, 1043, 19]); // text, character(n), character varying, name
const BOOL = 16;
const SUPPORTED = new Set([INT2, INT4, INT8, NUMERIC, DATE, TIMESTAMP, JSONB, JSON_TYPE, BOOL, ...TEXT_TYPES]);

/**
 * The columns of a profile query as postgres.js describes them, checked: the row's columns
 * first, then the two names, every type one the decoder knows (a new datamart column of another
 * type fails here, before any file is written, rather than being exported in another form).
 */
export function profileColumns(columns: ReadonlyArray<{ name: string; type: number }> | null | undefined): ProfileColumn[] {
  if (columns === null || columns === undefined || columns.length < TYPE_NAME_COLUMNS.length + 1) {
    throw new ExporterError("database_failed", "the profile query returned no column description", "report this: the exporter cannot read the rows");
  }
  const names = columns.slice(-TYPE_NAME_COLUMNS.length).map((c) => c.name);
  if (names.join() !== TYPE_NAME_COLUMNS.join()) {
    throw new ExporterError("database_failed", `the profile query's last columns are ${names.join(", ")}`, `select ${TYPE_NAME_COLUMNS.join(", ")} last`);
  }
  for (const c of columns) {
    if (!SUPPORTED.has(c.type)) {
      throw new ExporterError(
        "database_failed",
        `dwh.datamartusers.${c.name} has a column type the exporter does not read (type oid ${c.type})`,
        "cast it in json/user-profiles-*.sql or teach src/database/_row-cells.ts its text form",
      );
    }
  }
  return columns.map((c) => ({ name: c.name, type: c.type }));
}

/**
 * Rows packed in one buffer in the wire's form: row r is bytes rowStarts[r] .. rowStarts[r + 1],
 * each cell a 4-byte big-endian length (-1: NULL) followed by that many bytes.
 */
export interface PackedCells {
  bytes: Buffer;
  rowStarts: Int32Array;
}

/** A profile row: the datamart row as row_to_json gives it, and the contributor type's names. */
export interface DecodedRow {
  row: Record<string, unknown>;
  name: string | null;
  nameEn: string | null;
}

/**
 * Row `i` of `cells` in row_to_json's form: integers and numerics as numbers (a non-finite
 * numeric as its text), dates as text, timestamps in ISO form ("T" between date and time; the
 * export transaction sets DateStyle ISO), jsonb parsed, text as is, NULL as null, keys in column
 * order.
 */
export function decodeRow(columns: readonly ProfileColumn[], cells: PackedCells, i: number): DecodedRow {
  const { bytes, rowStarts } = cells;
  const end = rowStarts[i + 1]!;
  const width = columns.length;
  const rowColumns = width - TYPE_NAME_COLUMNS.length;
  const row: Record<string, unknown> = {};
  const names: Array<string | null> = [];
  let at = rowStarts[i]!;
  for (let c = 0; c < width; c++) {
    if (at + 4 > end) throw malformed(i);
    const length = bytes.readInt32BE(at);
    at += 4;
    let value: unknown = null;
    if (length >= 0) {
      if (at + length > end) throw malformed(i);
      value = c < rowColumns ? cellValue(columns[c]!.type, bytes, at, at + length) : bytes.toString("utf8", at, at + length);
      at += length;
    }
    if (c < rowColumns) row[columns[c]!.name] = value;
    else names.push(value as string | null);
  }
  if (at !== end) throw malformed(i);
  return { row, name: names[0]!, nameEn: names[1]! };
}

function malformed(i: number): Error {
  return new Error(`profile row ${i} of a batch does not hold its columns' cells (packing error)`);
}

function cellValue(type: number, bytes: Buffer, start: number, end: number): unknown {
  switch (type) {
    case INT4:
    case INT2:
      return integer(bytes, start, end);
    case JSONB:
    case JSON_TYPE:
      return JSON.parse(bytes.toString("utf8", start, end));
    case NUMERIC:
    case INT8: {
      const text = bytes.toString("latin1", start, end);
      const value = Number(text);
      return Number.isFinite(value) ? value : text; // row_to_json quotes NaN and infinities
    }
    case DATE:
      return bytes.toString("latin1", start, end);
    case TIMESTAMP: {
      const text = bytes.toString("latin1", start, end);
      // "2024-01-02 03:04:05.123" → "2024-01-02T03:04:05.123"; "infinity" stays.
      return text.length > 10 && text[10] === " " ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
    }
    case BOOL:
      return bytes[start] === 0x74; // "t"
    default:
      return bytes.toString("utf8", start, end);
  }
}

/** An int2/int4 from its ASCII digits, without making a string. */
function integer(bytes: Buffer, start: number, end: number): number {
  let k = start;
  const negative = bytes[k] === 0x2d;
  if (negative) k++;
  let value = 0;
  for (; k < end; k++) value = value * 10 + (bytes[k]! - 0x30);
  return negative ? -value : value;
}

/**
 * Rows as postgres.js gives them raw (a Buffer per cell, NULL as null; `width` cells each),
 * packed in the wire's form. postgres.js slices a row's cells out of its DataRow message, so
 * the row is copied from there in one piece, length prefixes included, found from its first
 * and last cells alone (a cell's properties cost ≈ 1 µs per 100 cells, 235 000 rows at 1 M
 * notes); decodeRow checks the prefixes. Cells held otherwise are written out one by one.
 */
export function packCells(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>, width: number): PackedCells {
  const spans = rows.map((row) => wireSpan(row, width));
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    const span = spans[i];
    size += span === undefined ? rowBytes(rows[i]!, width) + 4 * width : span.to - span.from;
  }
  // Not from Buffer's shared pool: the buffer is transferred to a worker.
  const bytes = Buffer.allocUnsafeSlow(size);
  const rowStarts = new Int32Array(rows.length + 1);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    rowStarts[i] = at;
    const span = spans[i];
    if (span !== undefined) {
      bytes.set(new Uint8Array(span.buffer, span.from, span.to - span.from), at);
      at += span.to - span.from;
      continue;
    }
    const row = rows[i]!;
    for (let c = 0; c < width; c++) {
      const cell = row[c];
      if (cell === null || cell === undefined) {
        at = bytes.writeInt32BE(-1, at);
        continue;
      }
      at = bytes.writeInt32BE(cell.byteLength, at);
      bytes.set(cell, at);
      at += cell.byteLength;
    }
  }
  rowStarts[rows.length] = at;
  return { bytes, rowStarts };
}

/** The bytes of a row's DataRow message that hold its cells, when its first and last cells share a buffer. */
export function wireSpan(row: ReadonlyArray<Uint8Array | null>, width: number): { buffer: ArrayBufferLike; from: number; to: number } | undefined {
  let first = 0;
  while (first < width && (row[first] === null || row[first] === undefined)) first++;
  let last = width - 1;
  while (last > first && (row[last] === null || row[last] === undefined)) last--;
  const a = row[first];
  const b = row[last];
  if (a === null || a === undefined || b === null || b === undefined || a.buffer !== b.buffer) return undefined;
  const from = a.byteOffset - 4 * (first + 1);
  const to = b.byteOffset + b.byteLength + 4 * (width - 1 - last);
  if (from < 0 || to > b.buffer.byteLength || to - from < 4 * width) return undefined;
  return { buffer: a.buffer, from, to };
}

/** The bytes of a row's cells. */
export function rowBytes(row: ReadonlyArray<Uint8Array | null>, width: number): number {
  let size = 0;
  for (let c = 0; c < width; c++) size += row[c]?.byteLength ?? 0;
  return size;
}
