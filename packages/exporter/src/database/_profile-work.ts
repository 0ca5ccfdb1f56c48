import type { DatamartUserRow } from "@osm-notes/dwh-sql";
import { userIndexEntryFromRow, userProfileFromRow } from "../documents/from-rows.ts";
import { ExporterError } from "../exporter-error.ts";
import { userProfilePath } from "../paths.ts";
import { prepareDocument, type Prepared } from "../tree/_prepare.ts";
import { validateDocument, type ValidationIssue } from "../validator.ts";
import { decodeRow, packCells, type ProfileColumn } from "./_row-cells.ts";

// The work on one batch of user profile rows, as raw bytes off the wire (the columns of
// json/user-profiles-*.sql, _row-cells.ts): decode, map, check the path, validate, serialize,
// hash. Runs in the worker threads of _profile-pool.ts, where the input and output are flat
// buffers so they cross threads by transfer, not by copy; or inline when there are none (the
// files' bytes are then not packed: that would be a copy of fresh memory for nothing).

/** Rows packed into one buffer in the wire's form (_row-cells.ts), with their columns. */
export interface RowBatch {
  columns: ProfileColumn[];
  data: Uint8Array;
  rowStarts: Int32Array;
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

export function packRows(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>, columns: ProfileColumn[]): RowBatch {
  const { bytes, rowStarts } = packCells(rows, columns.length);
  return { columns, data: bytes, rowStarts };
}

/** The per-profile work on packed rows; a failure that must end the export is thrown. */
function prepareEach(batch: RowBatch, validate: boolean, withIndexEntries: boolean): PreparedProfile[] {
  // A worker receives a plain Uint8Array.
  const cells = { bytes: Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength), rowStarts: batch.rowStarts };
  const count = batch.rowStarts.length - 1;
  const out: PreparedProfile[] = [];
  for (let i = 0; i < count; i++) {
    const { row: decoded, name, nameEn } = decodeRow(batch.columns, cells, i);
    const row = decoded as unknown as DatamartUserRow & { updated_at: string };
    const path = userProfilePath(row.user_id);
    const document = userProfileFromRow(row, { name, name_en: nameEn });
    const prepared = prepareDocument(path, "user-profile", document, validate ? validateDocument : undefined);
    const profile: PreparedProfile = { path, userId: row.user_id, updatedAt: String(row.updated_at), prepared };
    if (withIndexEntries) profile.indexEntry = indexEntryText(row, validate);
    out.push(profile);
  }
  return out;
}

/** Inline (no worker): the rows as postgres.js gives them; the files' bytes are not packed. */
export function prepareRows(
  rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>,
  columns: ProfileColumn[],
  validate: boolean,
  withIndexEntries = false,
): PreparedProfile[] {
  return prepareEach(packRows(rows, columns), validate, withIndexEntries);
}

/** In a worker: a packed batch in, the files' bytes packed into one transferable buffer out. */
export function prepareProfiles(batch: RowBatch, validate: boolean, withIndexEntries = false): PreparedBatch | BatchFailure {
  let out: PreparedProfile[];
  try {
    out = prepareEach(batch, validate, withIndexEntries);
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
