// indexes/users.json of an incremental export, patched instead of rebuilt. At 1 M notes the
// index is 235 000 entries (77 MB); rebuilding it every run cost the server 1.2 s (a scan of the
// wide table, the tuples, two sorts) and the exporter ≈ 0.8 s (parse the tuples, map, validate,
// serialize, encode, hash). An incremental export already rests on this rule of the datamart
// builder: a row whose content changes gets a new updated_at, so it is pending (in
// dwh.json_export_pending) until an export emits it. A user who is not pending has the same
// row as when the current tree was exported, hence the same index entry, byte for byte: it is
// copied from the current tree's users.json. Entries of pending users are built (and
// validated) from the profile rows the export reads anyway; the server only sends the new
// order (user ids).
//
// Trusting the copied bytes needs: (1) they are the current tree's file (its blob id is the one
// in the manifest the database recorded, checked by the caller); (2) they were validated under
// today's schemas (the tree's VALIDATED marker, see write-tree.ts, when this export validates).
// The index schema is an array of independent items (no length, uniqueness or order rule), so
// the array is valid when every entry is. The mapping itself (userIndexEntryFromRow) changing
// without a schema change is the same case as for carried profiles: run `export json --full`.

/** Byte offsets of the entries of a users.json this exporter wrote, by user id. */
export interface IndexEntries {
  bytes: Uint8Array;
  at: Map<number, number>;
  starts: Int32Array;
  ends: Int32Array;
}

const OPEN = Buffer.from('[{"user_id":');
const BOUNDARY = Buffer.from('},{"user_id":');
const CLOSE = Buffer.from("}]\n");

/**
 * Splits `[{"user_id":1,…},{"user_id":2,…}]\n` into its entries. `},{"user_id":` can only be an
 * entry boundary: inside a JSON string every `"` is escaped, and this one follows a `{`; and the
 * entries hold no nested objects. undefined when the text is not of that shape.
 */
export function indexEntries(file: Uint8Array): IndexEntries | undefined {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.length === 3 && bytes.toString("latin1") === "[]\n") return { bytes, at: new Map(), starts: new Int32Array(0), ends: new Int32Array(0) };
  if (bytes.length < OPEN.length + CLOSE.length || !bytes.subarray(0, OPEN.length).equals(OPEN)) return undefined;
  if (!bytes.subarray(bytes.length - CLOSE.length).equals(CLOSE)) return undefined;
  const starts: number[] = [];
  const ends: number[] = [];
  const at = new Map<number, number>();
  let start = 1; // the entry's "{"
  const last = bytes.length - 2; // the final "]"
  while (true) {
    const next = bytes.indexOf(BOUNDARY, start);
    const end = next === -1 || next >= last ? last : next + 1; // just after the entry's "}"
    const id = readId(bytes, start + OPEN.length - 1);
    if (id === undefined || at.has(id)) return undefined;
    at.set(id, starts.length);
    starts.push(start);
    ends.push(end);
    if (end === last) break;
    start = end + 1;
  }
  return { bytes, at, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** The positive integer written at `from`, followed by a comma. */
function readId(bytes: Uint8Array, from: number): number | undefined {
  let id = 0;
  let i = from;
  for (; i < bytes.length && i < from + 16; i++) {
    const c = bytes[i]!;
    if (c === 0x2c) break;
    if (c < 0x30 || c > 0x39 || (i === from && c === 0x30)) return undefined;
    id = id * 10 + (c - 0x30);
  }
  return i > from && bytes[i] === 0x2c ? id : undefined;
}

const OPEN_ARRAY = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE_ARRAY = Buffer.from("]\n");

/**
 * The new users.json: for each id of `order`, the entry text given in `changed`, or else the
 * current tree's bytes of that entry. Pieces that follow each other, most of them slices of the
 * current file: written and hashed where they are, never copied into one buffer (77 MB at 1 M
 * notes). undefined when an unchanged id has no entry there (the caller then rebuilds the whole
 * index).
 */
export function patchUserIndex(previous: IndexEntries, order: ReadonlyArray<number>, changed: ReadonlyMap<number, string>): Uint8Array[] | undefined {
  // Where each entry comes from: the previous file's entry k, or -1 (changed, in `changed`).
  const source = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    if (changed.has(id)) {
      source[i] = -1;
      continue;
    }
    const k = previous.at.get(id);
    if (k === undefined) return undefined;
    source[i] = k;
  }
  const pieces: Uint8Array[] = [OPEN_ARRAY];
  for (let i = 0; i < order.length; ) {
    if (i > 0) pieces.push(COMMA);
    const k = source[i]!;
    if (k < 0) {
      pieces.push(Buffer.from(changed.get(order[i]!)!));
      i += 1;
      continue;
    }
    // A run of entries that follow each other in the previous file too (most of them: the
    // order moves only around changed users) is one piece, commas included.
    let last = i;
    while (last + 1 < order.length && source[last + 1] === source[last]! + 1) last += 1;
    pieces.push(previous.bytes.subarray(previous.starts[k]!, previous.ends[source[last]!]!));
    i = last + 1;
  }
  pieces.push(CLOSE_ARRAY);
  return pieces;
}
