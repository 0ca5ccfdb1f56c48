import type { Manifest, ManifestEntry } from "./manifest.ts";

// An incremental export changes ≈ 2 000 of 235 000 manifest entries (1 M notes, 21 MB). As an
// object, the manifest cost ≈ 0.45 s of the main thread per run: JSON.parse 0.13 s, copying
// every entry into the new one 0.22 s, JSON.stringify 0.06 s. As text, the entries stay where
// they are: paths are found by binary search, and the new manifest is the old text with the
// changed entries spliced in.

const HEAD = '{"version":1,"files":{';
const TAIL = "}}\n";
const SHA1 = '":{"sha1":"';
const SIZE = '","size":';
const SHA1_LENGTH = 40;

/** One entry as writeTree writes it: `"path":{"sha1":"…","size":N}`. */
export function entryText(path: string, entry: ManifestEntry): string {
  return `${JSON.stringify(path)}:{"sha1":${JSON.stringify(entry.sha1)},"size":${entry.size}}`;
}

/**
 * A manifest in the one form writeTree writes (JSON.stringify of { version: 1, files } with
 * the paths sorted): its text and where each entry starts. Lookups are binary searches; the
 * object form is built only when asked for (toManifest).
 */
export class ManifestText {
  private constructor(
    /** The whole file. */
    readonly text: string,
    /** Sorted, distinct. */
    private readonly paths: string[],
    /** Offset in text of each entry's opening quote, and one past the last entry. */
    private readonly starts: number[],
    /**
     * The id in each path (profileIdOf), read once while the text is scanned: an incremental
     * export looks up every profile's id in the new index; read from the 235 000 path strings
     * at that point, the lookups took 63–109 ms at 1 M notes, from this array 26–57 ms.
     */
    private readonly ids: Float64Array,
  ) {}

  /** Offset of the i-th entry's sha1 (its path may be escaped in the text: found from the end). */
  private sha1Offset(i: number): number {
    return this.text.lastIndexOf(SIZE, this.entryEnd(i)) - SHA1_LENGTH;
  }

  /**
   * A manifest file's bytes. The form writeTree writes is indexed where it lies (one scan);
   * any other (hand-written, unsorted, spaced) is parsed as JSON and rewritten in that form.
   * Throws on a file that is not a manifest.
   */
  static fromBytes(bytes: Uint8Array): ManifestText {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    return ManifestText.scan(text) ?? ManifestText.fromFiles(parseManifest(text).files);
  }

  /** Entries in any order (paths are sorted here). */
  static fromFiles(files: Record<string, ManifestEntry>): ManifestText {
    const paths = Object.keys(files).sort(byPath);
    const parts = [HEAD];
    for (let i = 0; i < paths.length; i++) parts.push(i === 0 ? "" : ",", entryText(paths[i]!, files[paths[i]!]!));
    parts.push(TAIL);
    const scanned = ManifestText.scan(parts.join(""));
    if (scanned === undefined) throw new Error("a manifest entry this writer cannot read back");
    return scanned;
  }

  /** undefined unless text is exactly the canonical form, sorted. */
  private static scan(text: string): ManifestText | undefined {
    if (!text.startsWith(HEAD) || !text.endsWith(TAIL)) return undefined;
    const paths: string[] = [];
    const starts: number[] = [];
    const ids: number[] = [];
    const end = text.length - TAIL.length;
    let at = HEAD.length;
    let last: string | undefined;
    while (at < end) {
      if (paths.length > 0) {
        if (text.charCodeAt(at) !== 44 /* , */) return undefined;
        at += 1;
      }
      if (text.charCodeAt(at) !== 34 /* " */) return undefined;
      const close = closingQuote(text, at + 1);
      if (close < 0) return undefined;
      let path = text.slice(at + 1, close);
      let id: number;
      if (path.includes("\\")) {
        try {
          path = JSON.parse(text.slice(at, close + 1)) as string;
        } catch {
          return undefined;
        }
        id = profileIdOf(path);
      } else id = idBetween(text, at + 1, close);
      if (last !== undefined && !(last < path)) return undefined;
      if (!text.startsWith(SHA1, close)) return undefined;
      const sizeAt = close + SHA1.length + SHA1_LENGTH;
      if (!text.startsWith(SIZE, sizeAt) || text.indexOf('"', close + SHA1.length) !== sizeAt) return undefined;
      const brace = text.indexOf("}", sizeAt + SIZE.length);
      if (brace < 0 || !isDigits(text, sizeAt + SIZE.length, brace)) return undefined;
      paths.push(path);
      starts.push(at);
      ids.push(id);
      last = path;
      at = brace + 1;
    }
    if (at !== end) return undefined;
    starts.push(end);
    return new ManifestText(text, paths, starts, Float64Array.from(ids));
  }

  get size(): number {
    return this.paths.length;
  }

  pathAt(i: number): string {
    return this.paths[i]!;
  }

  /** profileIdOf(pathAt(i)). */
  idAt(i: number): number {
    return this.ids[i]!;
  }

  /** The i-th entry's text (no separating comma). */
  entryTextAt(i: number): string {
    return this.text.slice(this.starts[i]!, this.entryEnd(i));
  }

  sha1At(i: number): string {
    const at = this.sha1Offset(i);
    return this.text.slice(at, at + SHA1_LENGTH);
  }

  entryAt(i: number): ManifestEntry {
    const at = this.sha1Offset(i);
    return { sha1: this.text.slice(at, at + SHA1_LENGTH), size: Number(this.text.slice(at + SHA1_LENGTH + SIZE.length, this.entryEnd(i) - 1)) };
  }

  /** Index of the first path ≥ path (size when none). */
  lowerBound(path: string): number {
    let lo = 0;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.paths[mid]! < path) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of path, or -1. */
  indexOf(path: string): number {
    const i = this.lowerBound(path);
    return i < this.paths.length && this.paths[i] === path ? i : -1;
  }

  has(path: string): boolean {
    return this.indexOf(path) >= 0;
  }

  get(path: string): ManifestEntry | undefined {
    const i = this.indexOf(path);
    return i < 0 ? undefined : this.entryAt(i);
  }

  /** [from, to): the indexes of the paths starting with prefix. */
  range(prefix: string): [number, number] {
    const from = this.lowerBound(prefix);
    let lo = from;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.paths[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return [from, lo];
  }

  /**
   * A new manifest: this one with the entries at `drop` removed and `put` (path → entry) set,
   * replacing an entry with the same path or inserted in order. Cost ∝ the changes, plus one
   * copy of the text. `positions`: indexOf of put paths, when the caller already has them.
   */
  edit(put: ReadonlyMap<string, ManifestEntry>, drop: Iterable<number>, positions?: ReadonlyMap<string, number>): ManifestText {
    const edits: Array<{ at: number; insert: Array<{ path: string; text: string }>; replace?: string; drop?: true }> = [];
    const byIndex = new Map<number, (typeof edits)[number]>();
    const editAt = (at: number) => {
      let e = byIndex.get(at);
      if (e === undefined) {
        e = { at, insert: [] };
        byIndex.set(at, e);
        edits.push(e);
      }
      return e;
    };
    for (const i of drop) editAt(i).drop = true;
    const inserted: string[] = [];
    for (const [path, entry] of put) {
      // The caller may know where the path is (positions: its own lookups); checked. A path
      // said to be new is looked up anyway (rare, and a wrong claim would duplicate it).
      const known = positions?.get(path);
      const i = known !== undefined && known >= 0 && this.paths[known] === path ? known : this.indexOf(path);
      if (i >= 0) editAt(i).replace = entryText(path, entry);
      else inserted.push(path);
    }
    // In path order, so several new paths before the same position stay sorted.
    inserted.sort(byPath);
    for (const path of inserted) editAt(this.lowerBound(path)).insert.push({ path, text: entryText(path, put.get(path)!) });
    edits.sort((a, b) => a.at - b.at);

    const parts: string[] = [HEAD];
    let first = true;
    const emit = (entry: string) => {
      if (!first) parts.push(",");
      parts.push(entry);
      first = false;
    };
    let copied = 0; // entries [0, copied) handled
    for (const e of edits) {
      if (e.at > copied) emit(this.text.slice(this.starts[copied]!, this.entryEnd(e.at - 1)));
      for (const entry of e.insert) emit(entry.text);
      if (e.at < this.paths.length && (e.drop !== true || e.replace !== undefined)) emit(e.replace ?? this.entryTextAt(e.at));
      copied = Math.max(copied, e.at + 1);
    }
    if (copied < this.paths.length) emit(this.text.slice(this.starts[copied]!, this.entryEnd(this.paths.length - 1)));
    parts.push(TAIL);
    const text = parts.join("");

    // Paths of the result, in order, without scanning the new text again.
    const paths: string[] = [];
    const starts: number[] = [];
    const ids: number[] = [];
    let offset = HEAD.length;
    let at = 0;
    const push = (path: string, length: number, id: number) => {
      if (paths.length > 0) offset += 1;
      paths.push(path);
      starts.push(offset);
      ids.push(id);
      offset += length;
    };
    for (const e of edits) {
      for (; at < e.at; at++) push(this.paths[at]!, this.entryLength(at), this.ids[at]!);
      for (const entry of e.insert) push(entry.path, entry.text.length, profileIdOf(entry.path));
      if (e.at < this.paths.length) {
        if (e.drop !== true || e.replace !== undefined) push(this.paths[e.at]!, e.replace?.length ?? this.entryLength(e.at), this.ids[e.at]!);
        at = Math.max(at, e.at + 1);
      }
    }
    for (; at < this.paths.length; at++) push(this.paths[at]!, this.entryLength(at), this.ids[at]!);
    starts.push(offset);
    return new ManifestText(text, paths, starts, Float64Array.from(ids));
  }

  /** The file's bytes. */
  toBytes(): Buffer {
    return Buffer.from(this.text, "utf8");
  }

  /** The object form (parses the text). */
  toManifest(): Manifest {
    return parseManifest(this.text);
  }

  private entryEnd(i: number): number {
    return this.starts[i]! + this.entryLength(i);
  }

  /** The next start is past a comma, except after the last entry. */
  private entryLength(i: number): number {
    return (i + 1 < this.paths.length ? this.starts[i + 1]! - 1 : this.starts[i + 1]!) - this.starts[i]!;
  }
}

export function parseManifest(text: string): Manifest {
  const parsed = JSON.parse(text) as Manifest;
  if (parsed?.version !== 1 || typeof parsed.files !== "object" || parsed.files === null) throw new Error("unknown manifest format");
  return parsed;
}

export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The id in a profile path ("users/…/<id>.json", "countries/<id>.json"): the digits (with an
 * optional minus) between the last "/" and the five characters of ".json"; NaN when there are
 * none or another character is there. Meaningful only for paths already checked as profile
 * paths (paths.ts); any other path gives some number or NaN.
 */
export function profileIdOf(path: string): number {
  return idBetween(path, 0, path.length);
}

/** profileIdOf of the path text[from, to). */
function idBetween(text: string, from: number, to: number): number {
  const end = to - ".json".length;
  let start = Math.max(text.lastIndexOf("/", end) + 1, from);
  const sign = text.charCodeAt(start) === 45 /* - */ ? -1 : 1;
  if (sign < 0) start += 1;
  if (start >= end) return Number.NaN;
  let id = 0;
  for (let k = start; k < end; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    id = id * 10 + digit;
  }
  return sign * id;
}

/** The quote closing a JSON string whose content starts at from (escaped quotes skipped), or -1. */
function closingQuote(text: string, from: number): number {
  let at = text.indexOf('"', from);
  while (at >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92 /* \\ */) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

function isDigits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
