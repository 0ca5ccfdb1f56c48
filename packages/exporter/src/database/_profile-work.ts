import type { DatamartUserRow } from "@osm-notes/dwh-sql";
import { userIndexEntryFromRow, userProfileFromRow } from "../documents/from-rows.ts";
import { ExporterError } from "../exporter-error.ts";
import { userProfilePath } from "../paths.ts";
import { prepareDocument, type Prepared } from "../tree/_prepare.ts";
import { validateDocument, type ValidationIssue } from "../validator.ts";

// The work on one batch of user profile rows, as raw bytes off the wire (the three columns of
// json/user-profiles-*.sql: row_to_json text, contributor type name, English name): decode,
// parse, map, check the path, validate, serialize, hash. Runs in the worker threads of
// _profile-pool.ts, where the input and output are flat buffers so they cross threads by
// transfer, not by copy; or inline when there are none, on the rows as they came (packing
// 27 MB of rows and then the files' bytes cost two copies of fresh memory for nothing).

/** Rows packed into one buffer: for row i, column c, offsets[3i+c] .. ends[3i+c] (start -1 = NULL). */
export interface RowBatch {
  data: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

export interface PreparedProfile {
  path: string;
  userId: number;
  /** updated_at as read (ISO text, exact). */
  updatedAt: string;
  prepared: Prepared;
  /** The user's indexes/users.json entry as JSON text, when asked for (see _user-index-patch.ts). */
  indexEntry?: IndexEntryText;
}

/** One user index entry: its JSON text, or its schema violations (pointers under /0/). */
export type IndexEntryText = { ok: true; text: string } | { ok: false; issues: ValidationIssue[] };

/** Prepared profiles; bytes of the ok ones are slices of one buffer (`data`). */
export interface PreparedBatch {
  profiles: Array<Omit<PreparedProfile, "prepared"> & { prepared: Prepared | { ok: true; start: number; end: number; sha1: string; validated: boolean } }>;
  data: Uint8Array;
}

/** A failure that must end the export (as the inline reader would throw it). */
export interface BatchFailure {
  error: { code?: string; message: string; hint?: string };
}

export function packRows(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>): RowBatch {
  let size = 0;
  for (const row of rows) for (let c = 0; c < 3; c++) size += row[c]?.byteLength ?? 0;
  const data = new Uint8Array(size);
  const starts = new Int32Array(rows.length * 3);
  const ends = new Int32Array(rows.length * 3);
  let at = 0;
  rows.forEach((row, i) => {
    for (let c = 0; c < 3; c++) {
      const value = row[c];
      if (value === null || value === undefined) {
        starts[3 * i + c] = -1;
        continue;
      }
      data.set(value, at);
      starts[3 * i + c] = at;
      at += value.byteLength;
      ends[3 * i + c] = at;
    }
  });
  return { data, starts, ends };
}

const decoder = new TextDecoder();

/** Row i, column c of some rows, as text (null for SQL NULL). */
type CellText = (i: number, c: number) => string | null;

/** The per-profile work, on rows however they are held; a failure that must end the export is thrown. */
function prepareEach(count: number, text: CellText, validate: boolean, withIndexEntries: boolean): PreparedProfile[] {
  const out: PreparedProfile[] = [];
  for (let i = 0; i < count; i++) {
    const row = JSON.parse(text(i, 0)!) as DatamartUserRow & { updated_at: string };
    const path = userProfilePath(row.user_id);
    const document = userProfileFromRow(row, { name: text(i, 1), name_en: text(i, 2) });
    const prepared = prepareDocument(path, "user-profile", document, validate ? validateDocument : undefined);
    const profile: PreparedProfile = { path, userId: row.user_id, updatedAt: String(row.updated_at), prepared };
    if (withIndexEntries) profile.indexEntry = indexEntryText(row, validate);
    out.push(profile);
  }
  return out;
}

/** Inline (no worker): the rows as postgres.js gives them, no packing either way. */
export function prepareRows(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>, validate: boolean, withIndexEntries = false): PreparedProfile[] {
  const text: CellText = (i, c) => {
    const cell = rows[i]![c];
    return cell === null || cell === undefined ? null : decoder.decode(cell);
  };
  return prepareEach(rows.length, text, validate, withIndexEntries);
}

/** In a worker: a packed batch in, the files' bytes packed into one transferable buffer out. */
export function prepareProfiles(batch: RowBatch, validate: boolean, withIndexEntries = false): PreparedBatch | BatchFailure {
  const text: CellText = (i, c) =>
    batch.starts[3 * i + c]! < 0 ? null : decoder.decode(batch.data.subarray(batch.starts[3 * i + c]!, batch.ends[3 * i + c]!));
  let out: PreparedProfile[];
  try {
    out = prepareEach(batch.starts.length / 3, text, validate, withIndexEntries);
  } catch (err) {
    const e = err as ExporterError;
    return { error: { code: e instanceof ExporterError ? e.code : undefined, message: e.message ?? String(err), hint: e.hint } };
  }
  let size = 0;
  for (const p of out) if (p.prepared.ok) size += p.prepared.bytes.byteLength;
  // One buffer for all the files' bytes: one transfer back.
  const data = new Uint8Array(size);
  let at = 0;
  const profiles = out.map((p) => {
    if (!p.prepared.ok) return p;
    data.set(p.prepared.bytes, at);
    const slice = { ok: true as const, start: at, end: at + p.prepared.bytes.byteLength, sha1: p.prepared.sha1, validated: p.prepared.validated };
    at = slice.end;
    return { ...p, prepared: slice };
  });
  return { profiles, data };
}

/** The other side of prepareProfiles: every profile with its own bytes again. */
export function unpackProfiles(result: PreparedBatch | BatchFailure): PreparedProfile[] {
  if ("error" in result) {
    const { code, message, hint } = result.error;
    if (code !== undefined) throw new ExporterError(code as ExporterError["code"], message, hint ?? "");
    throw new Error(message);
  }
  return result.profiles.map((p) => {
    const prepared = p.prepared;
    if (!prepared.ok || !("start" in prepared)) return p as PreparedProfile;
    return { ...p, prepared: { ok: true, bytes: result.data.subarray(prepared.start, prepared.end), sha1: prepared.sha1, validated: prepared.validated } };
  });
}

/** The entry exactly as JSON.stringify writes it inside the whole index, validated as a one-entry index. */
export function indexEntryText(row: DatamartUserRow, validate: boolean): IndexEntryText {
  const entry = userIndexEntryFromRow(row);
  const issues = validate ? validateDocument("user-index", [entry]) : [];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, text: JSON.stringify(entry) };
}
