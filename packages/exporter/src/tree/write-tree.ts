import { link, mkdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { DocumentKind, DocumentOfKind } from "../documents/document-kinds.ts";
import { ExporterError } from "../exporter-error.ts";
import { FIXED_PATHS, parseDocumentPath } from "../paths.ts";
import { validateDocument, type ValidateDocument, type ValidationIssue } from "../validator.ts";
import { currentVersionDir, discardStaleVersions, newVersionDir, pointAt } from "./_swap.ts";
import { MANIFEST_FILE, readManifestText, type Manifest, type ManifestEntry } from "./manifest.ts";
import { ManifestText, profileIdOf } from "./manifest-text.ts";
import { pathIssue, prepareDocument, type Prepared } from "./_prepare.ts";
import { byteLength, writeFileBytes, type FileBytes } from "./_file-bytes.ts";
import { directoryMaker, ignoreMissing, linkTwinDetached, markChanging, readChanges, replayChanges, reusablePredecessor, writeChanges } from "./_reuse.ts";
import { dataSchemaHash } from "../json-schemas.ts";
import { gitBlobId } from "../git-blob-id.ts";

/**
 * A document to write at path (path must be the one documentPath(kind, document) gives). Typed
 * per kind for producers; the writer still validates at run time (data comes from a database).
 */
export type TreeDocument = {
  [K in DocumentKind]: { path: string; kind: K; document: DocumentOfKind[K] };
}[DocumentKind];
/** Incremental mode: the entity behind path was removed; its file must go. */
export interface TreeDeletion {
  path: string;
  delete: true;
}
/**
 * A profile already checked, validated and serialized by prepareDocument (_prepare.ts), in a
 * worker thread of the database reader: the writer checks what needs the whole tree.
 */
export interface TreePreparedProfile {
  path: string;
  kind: "user-profile" | "country-profile";
  prepared: Prepared;
}
/**
 * indexes/users.json already serialized (and, when `prepared.validated`, validated) by the
 * database reader (../database/_user-index-patch.ts), with the user ids it lists.
 */
export interface TreePreparedIndex {
  path: string;
  kind: "user-index";
  prepared: Prepared<FileBytes>;
  ids: ReadonlySet<number>;
}
export type TreeEntry = TreeDocument | TreeDeletion | TreePreparedProfile | TreePreparedIndex;

export interface InvalidDocument {
  path: string;
  kind: DocumentKind | undefined;
  issues: ValidationIssue[];
}

export interface WriteTreeOptions {
  /** Validate every written document against its generated JSON Schema (default true). */
  validate?: boolean | ValidateDocument;
  /**
   * "full" (default): the entries are the whole tree. "incremental": the entries are what
   * changed; every other file of the previous tree is carried over, except profiles of
   * entities missing from a new index and paths given as deletions.
   */
  mode?: "full" | "incremental";
  /**
   * The tree must hold metadata.json, both indexes and global_stats.json, the files every Viewer
   * page starts from (default true).
   */
  complete?: boolean;
  /** Manifest of the current tree; default: read from outDir/.manifest.json. */
  previousManifest?: Manifest | ManifestText;
  /**
   * Full mode: also hard-link the new tree into a second version directory, recorded as its
   * predecessor, so the first incremental export after this one brings that copy up to date
   * (cost ∝ changes) instead of linking every file into a fresh directory (≈ 4 s at 235 000
   * files). true: linked here, before the swap (this export pays ≈ 5 s at 1 M notes).
   * "background": linked after the swap by a detached process (see linkTwinDetached), so the
   * export does not wait; an incremental export that starts before the twin is complete links
   * a fresh copy instead, as without one. Default false.
   */
  twin?: boolean | "background";
  /** Files written or linked in parallel (default 64). */
  concurrency?: number;
  /** Called every `progressEvery` documents with the count so far. */
  onProgress?: (documents: number) => void;
  progressEvery?: number;
}

export interface WriteTreeReport {
  outDir: string;
  /** The version directory outDir now points at. */
  versionDir: string;
  /** Documents whose bytes changed or are new: written. */
  written: string[];
  /** Documents given again with identical bytes: hard-linked from the previous tree. */
  unchanged: number;
  /** Incremental mode: files not given, carried over from the previous tree. */
  carried: number;
  /**
   * Incremental mode: "reused" when the version before the current one was brought up to date
   * (cost ∝ changes), "linked" when every file had to be hard-linked into a fresh directory.
   */
  base?: "reused" | "linked";
  /** Paths of the previous tree that the new one no longer has. */
  deleted: string[];
  /** The new tree's manifest (parsed from manifestText on first use: 21 MB at 1 M notes). */
  readonly manifest: Manifest;
  manifestText: ManifestText;
  /** git blob id of the .manifest.json written (what dwh.json_export_state records). */
  manifestBlobId: string;
}

const MAX_LISTED = 20;

/**
 * Writes an export tree into a new version directory beside outDir, validates every document,
 * checks that indexes, profiles and metadata agree, then swaps outDir to it atomically (see
 * _swap.ts). Nothing under the current outDir is modified; on any failure the new version
 * directory is removed and the previous tree stays byte-identical. All invalid documents are
 * collected (not just the first) and reported in one ExporterError("invalid_documents").
 */
export async function writeTree(
  outDir: string,
  entries: AsyncIterable<TreeEntry> | Iterable<TreeEntry>,
  options: WriteTreeOptions = {},
): Promise<WriteTreeReport> {
  const validate: ValidateDocument | undefined =
    options.validate === false ? undefined : typeof options.validate === "function" ? options.validate : validateDocument;
  const mode = options.mode ?? "full";
  const concurrency = options.concurrency ?? 64;
  const progressEvery = options.progressEvery ?? 1000;

  await mkdir(dirname(outDir), { recursive: true });
  const previousDir = await currentVersionDir(outDir);
  const reuse = mode === "incremental" && previousDir !== undefined ? await reusablePredecessor(previousDir) : undefined;
  // One writer per outDir is assumed (the caller holds the run lock): anything else beside
  // the current version (and the predecessor an incremental run reuses) is an older version or
  // a leftover of a failed or killed run. It is renamed away at once, deleted in the background.
  await discardStaleVersions(outDir, [previousDir, reuse?.dir]);
  const given = options.previousManifest;
  const previous: ManifestText =
    (given instanceof ManifestText ? given : given !== undefined ? ManifestText.fromFiles(given.files) : undefined) ??
    (previousDir !== undefined ? await readManifestText(previousDir) : undefined) ??
    ManifestText.fromFiles({});
  // Where each given path is in the previous manifest (-1: new), looked up once (a binary
  // search over 235 000 paths at 1 M notes; the merge needs them again).
  const positions = new Map<string, number>();
  if (mode === "incremental" && previousDir === undefined && previous.size > 0) {
    throw new ExporterError("write_failed", "incremental export without a previous tree", "run a full export first");
  }

  const ensureDir = directoryMaker();
  // Incremental: the staging directory starts as a copy of the current tree (the reused
  // predecessor with the current version's changes replayed, or fresh hard links), so a
  // document with unchanged bytes needs no file operation at all.
  const stagingDir = reuse?.dir ?? newVersionDir(outDir);
  const fresh = reuse === undefined;
  let base: WriteTreeReport["base"];
  if (fresh) await mkdir(stagingDir);
  let files: Record<string, ManifestEntry> = {};
  const written: string[] = [];
  const deletions = new Set<string>();
  const invalid: InvalidDocument[] = [];
  const indexIds: { users?: ReadonlySet<number>; countries?: ReadonlySet<number> } = {};
  let metadataDoc: { total_users?: unknown; total_countries?: unknown } | undefined;
  let twinDir: string | undefined;
  let unchanged = 0;
  let carried = 0;
  let seen = 0;

  let replaying: Promise<void> | undefined;
  const pending = new Set<Promise<void>>();
  async function throttle(task: () => Promise<void>): Promise<void> {
    await replaying;
    const p = task().finally(() => pending.delete(p));
    // Handled later by Promise.race/all; without this a failure before then is "unhandled".
    p.catch(() => undefined);
    pending.add(p);
    if (pending.size >= concurrency) await Promise.race(pending);
  }
  async function linkFromPrevious(path: string): Promise<boolean> {
    if (previousDir === undefined) return false;
    const target = join(stagingDir, path);
    await ensureDir(dirname(target));
    try {
      // A hard link: the previous version's file is shared, never modified (new content is
      // always a new file), so the old tree stays byte-identical.
      await link(join(previousDir, path), target);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EXDEV" || code === "EPERM" || code === "EMLINK") return false;
      throw err;
    }
  }

  try {
    if (mode === "incremental" && previousDir !== undefined) {
      if (reuse !== undefined) {
        await markChanging(stagingDir);
        // In the background while the first entries are produced (a database query: at 1 M
        // notes ≈ 0.5 s before the first profile, against ≈ 0.2 s of replay). Every file
        // operation in the staging directory waits for it (throttle).
        replaying = replayChanges(previousDir, stagingDir, reuse.changes, previous, ensureDir);
        replaying.catch(() => undefined);
        base = "reused";
      } else {
        for (let i = 0; i < previous.size; i++) {
          const path = previous.pathAt(i);
          await throttle(async () => {
            if (!(await linkFromPrevious(path))) {
              throw new ExporterError(
                "write_failed",
                `cannot carry ${path} over from the previous tree`,
                "the previous tree no longer matches its manifest: run a full export",
              );
            }
          });
        }
        await Promise.all(pending);
        base = "linked";
      }
    }
    const cloned = base !== undefined;

    for await (const entry of entries) {
      if ("delete" in entry) {
        if (parseDocumentPath(entry.path) === undefined) {
          invalid.push({ path: entry.path, kind: undefined, issues: [pathIssue(`not an export path`)] });
        } else deletions.add(entry.path);
        continue;
      }
      seen += 1;
      if (options.onProgress !== undefined && seen % progressEvery === 0) options.onProgress(seen);
      const prepared = "prepared" in entry ? checkPrepared(entry, validate) : prepareDocument(entry.path, entry.kind, entry.document, validate);
      // Path problems first (as before), then duplicates, then schema violations.
      if ((prepared.ok || prepared.issues[0]?.keyword !== "path") && entry.path in files) {
        invalid.push({ path: entry.path, kind: entry.kind, issues: [pathIssue("duplicate path")] });
        continue;
      }
      if (!prepared.ok) {
        invalid.push({ path: entry.path, kind: entry.kind, issues: prepared.issues });
        continue;
      }
      if ("ids" in entry) indexIds.users = entry.ids; // never modified here
      if ("document" in entry) {
        if (entry.kind === "user-index") indexIds.users = idsOf(entry.document, "user_id");
        if (entry.kind === "country-index") indexIds.countries = idsOf(entry.document, "country_id");
        if (entry.kind === "metadata") metadataDoc = entry.document as typeof metadataDoc;
      }
      // Once something is invalid the export will fail: keep validating, stop writing.
      if (invalid.length > 0) {
        files[entry.path] = { sha1: "", size: 0 };
        continue;
      }
      const { bytes, sha1 } = prepared;
      files[entry.path] = { sha1, size: byteLength(bytes) };
      const path = entry.path;
      const at = previous.size > 0 ? previous.indexOf(path) : -1;
      if (mode === "incremental") positions.set(path, at);
      const same = at >= 0 && previous.sha1At(at) === sha1;
      if (cloned && same) {
        unchanged += 1; // already there: the staging directory is a copy of the current tree
        continue;
      }
      await throttle(async () => {
        // Same bytes as the previous tree: a hard link (measured 9 µs) instead of a write (30 µs).
        if (!cloned && same && (await linkFromPrevious(path))) {
          unchanged += 1;
          return;
        }
        const target = join(stagingDir, path);
        // A copy of the current tree has the directory of every path the current tree has
        // (mkdir -p of 2 000 existing directories measured 0.1–0.7 s at 1 M notes).
        if (!(cloned && at >= 0)) await ensureDir(dirname(target));
        // The copy shares inodes with the current tree: replace the name, never write into it.
        if (cloned) await unlink(target).catch(ignoreMissing);
        // fs.promises.writeFile, 64 in flight: Bun.write measured twice as slow here in a full
        // export (30 000 profiles: 25 s against 13 s; file creation is disk-bound on ext4).
        const write = () => (bytes instanceof Uint8Array ? writeFile(target, bytes) : writeFileBytes(target, bytes));
        await write().catch(async (err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
          await ensureDir(dirname(target));
          await write();
        });
        written.push(path);
      });
    }
    await replaying;
    await Promise.all(pending);

    if (invalid.length > 0) {
      throw new ExporterError(
        "invalid_documents",
        `${invalid.length} invalid document(s):\n${describeInvalid(invalid)}`,
        "fix the producer of these documents (the datamart row or its mapping); the previous tree is untouched",
        undefined,
        invalid,
      );
    }

    let manifest: ManifestText;
    let deleted: string[];
    // Families whose every profile in the new tree is known to be indexed (checked on the way).
    const indexed = { users: false, countries: false };
    if (mode === "incremental") {
      // The previous manifest's entries stay where they are; only the run's changes are spliced
      // in (manifest-text.ts). Dropped: deletions, and profiles of entities that left the new
      // index (no stale files). A given path is kept whatever else says.
      // Which previous entries this run gave again, by position: the scan below then touches
      // no path string but the one it parses (235 000 hash lookups measured ≈ 0.1 s).
      const given = new Uint8Array(previous.size);
      let replaced = 0;
      for (const i of positions.values()) if (i >= 0) (given[i] = 1), (replaced += 1);
      const drop: number[] = [];
      for (const path of deletions) {
        const i = previous.indexOf(path);
        if (i >= 0 && given[i] === 0) (given[i] = 2), drop.push(i);
      }
      for (const family of ["users", "countries"] as const) {
        const ids = indexIds[family];
        const prefix = PROFILE_PREFIX[family];
        if (ids === undefined) continue;
        const [from, to] = previous.range(prefix);
        for (let i = from; i < to; i++) if (given[i] === 0 && !ids.has(previous.idAt(i))) drop.push(i);
        indexed[family] = Object.keys(files).every((path) => !path.startsWith(prefix) || ids.has(profileIdOf(path)));
      }
      deleted = drop.map((i) => previous.pathAt(i));
      for (const path of deleted) await throttle(() => unlink(join(stagingDir, path)).catch(ignoreMissing));
      await Promise.all(pending);
      carried = previous.size - replaced - drop.length;
      manifest = previous.edit(new Map(Object.entries(files)), drop, positions);
      if (indexIds.users === undefined && manifest.has(FIXED_PATHS["user-index"])) {
        indexIds.users = idsOf(await readJson(stagingDir, FIXED_PATHS["user-index"]), "user_id");
      }
      if (indexIds.countries === undefined && manifest.has(FIXED_PATHS["country-index"])) {
        indexIds.countries = idsOf(await readJson(stagingDir, FIXED_PATHS["country-index"]), "country_id");
      }
      if (metadataDoc === undefined && manifest.has(FIXED_PATHS.metadata)) {
        metadataDoc = (await readJson(stagingDir, FIXED_PATHS.metadata)) as typeof metadataDoc;
      }
    } else {
      manifest = ManifestText.fromFiles(files);
      deleted = [];
      for (let i = 0; i < previous.size; i++) if (!Object.hasOwn(files, previous.pathAt(i))) deleted.push(previous.pathAt(i));
    }

    checkConsistency(manifest, indexIds, metadataDoc, options.complete ?? true, indexed);

    const manifestText = manifest.toBytes();
    // Every file of the new version validated against today's schemas: this run's files by the
    // default validator, the carried ones by a run that left the same marker.
    const schemaHash = dataSchemaHash();
    const validated =
      validate === validateDocument && (mode === "full" || (previousDir !== undefined && (await readChanges(previousDir))?.validated === schemaHash))
        ? { validated: schemaHash }
        : {};
    if (mode === "full" && options.twin === "background") {
      // Named now, made after the swap (linkTwinDetached); never reused until it is complete.
      twinDir = newVersionDir(outDir);
      await writeChanges(stagingDir, { base: basename(twinDir), paths: [], ...validated });
    } else if (mode === "full" && options.twin === true) {
      // The twin: same files (hard links), same manifest, nothing changed between the two. Its
      // manifest is written last (a twin without one is never reused); until this tree is
      // swapped in, nothing refers to it, and a failed run leaves it to discardStaleVersions.
      twinDir = newVersionDir(outDir);
      await mkdir(twinDir);
      const twinDirs = directoryMaker();
      for (let i = 0; i < manifest.size; i++) {
        const path = manifest.pathAt(i);
        await throttle(async () => {
          const target = join(twinDir!, path);
          await twinDirs(dirname(target));
          await link(join(stagingDir, path), target);
        });
      }
      await Promise.all(pending);
      await writeFile(join(twinDir, MANIFEST_FILE), manifestText);
      await writeChanges(stagingDir, { base: basename(twinDir), paths: [], ...validated });
    } else {
      // base "" (no predecessor) is never reused; the file still carries the marker.
      const base = previousDir !== undefined ? basename(previousDir) : "";
      await writeChanges(stagingDir, { base, paths: previousDir !== undefined ? [...written, ...deleted] : [], ...validated });
    }
    // The manifest last: a directory with a manifest is a complete version.
    await writeFile(join(stagingDir, MANIFEST_FILE), manifestText);
    await pointAt(outDir, stagingDir);
    if (mode === "full" && options.twin === "background") linkTwinDetached(stagingDir, twinDir!, outDir);
    let parsed: Manifest | undefined;
    return {
      outDir, versionDir: stagingDir, written: written.sort(), unchanged, carried, deleted: deleted.sort(),
      get manifest() {
        return (parsed ??= manifest.toManifest());
      },
      manifestText: manifest,
      manifestBlobId: gitBlobId(manifestText),
      ...(base !== undefined ? { base } : {}),
    };
  } catch (err) {
    await Promise.allSettled([...pending, ...(replaying !== undefined ? [replaying] : [])]);
    // A reused predecessor has lost its manifest and will not be reused; it is discarded in
    // the background by the next run rather than deleted file by file here.
    if (fresh) await rm(stagingDir, { recursive: true, force: true });
    if (twinDir !== undefined) await rm(twinDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A prepared profile: its path must still be one of its kind (the worker derived it from the
 * id inside the document), and it must have been validated when this writer validates.
 */
function checkPrepared(entry: TreePreparedProfile | TreePreparedIndex, validate: ValidateDocument | undefined): Prepared<FileBytes> {
  const parsed = parseDocumentPath(entry.path);
  if (
    parsed === undefined ||
    parsed.kind !== entry.kind ||
    (entry.kind !== "user-profile" && entry.kind !== "country-profile" && entry.kind !== "user-index")
  ) {
    return { ok: false, issues: [pathIssue(`not a ${entry.kind} path`)] };
  }
  if (entry.prepared.ok && validate !== undefined && !entry.prepared.validated) {
    throw new Error(`${entry.path} was prepared without validation, but this export validates`);
  }
  return entry.prepared;
}

const PROFILE_PREFIX = { users: "users/", countries: "countries/" } as const;

function idsOf(doc: unknown, key: "user_id" | "country_id"): Set<number> {
  return new Set((Array.isArray(doc) ? doc : []).map((e) => (e as Record<string, number>)[key]!));
}

async function readJson(dir: string, path: string): Promise<unknown> {
  return JSON.parse(await readFile(join(dir, path), "utf8"));
}

/** Indexes, profiles and metadata must describe the same entities (checked before the swap). */
function checkConsistency(
  manifest: ManifestText,
  indexIds: { users?: ReadonlySet<number>; countries?: ReadonlySet<number> },
  metadataDoc: { total_users?: unknown; total_countries?: unknown } | undefined,
  complete: boolean,
  /** Families whose every profile is known to be in the index (the caller checked them). */
  indexed: { users: boolean; countries: boolean },
): void {
  const problems: string[] = [];
  if (complete) {
    const missing = Object.values(FIXED_PATHS).filter((p) => !manifest.has(p));
    if (missing.length > 0) problems.push(`missing ${missing.join(", ")}`);
  }
  for (const family of ["users", "countries"] as const) {
    const index = indexIds[family];
    if (index === undefined) continue;
    const [from, to] = manifest.range(PROFILE_PREFIX[family]);
    // Checked paths hold distinct ids (a user's shard comes from its id): as many profiles as
    // indexed ids, all of them indexed, is the same set.
    if (to - from === index.size && indexed[family]) continue;
    const profiles = new Set<number>();
    for (let i = from; i < to; i++) profiles.add(manifest.idAt(i));
    if (profiles.size === index.size && [...profiles].every((id) => index.has(id))) continue;
    const noFile = [...index].filter((id) => !profiles.has(id));
    const notIndexed = [...profiles].filter((id) => !index.has(id));
    if (noFile.length > 0) problems.push(`${family} in the index without a profile: ${list(noFile)}`);
    if (notIndexed.length > 0) problems.push(`${family} profiles missing from the index: ${list(notIndexed)}`);
  }
  if (metadataDoc !== undefined) {
    if (indexIds.users !== undefined && metadataDoc.total_users !== indexIds.users.size) {
      problems.push(`metadata.total_users ${String(metadataDoc.total_users)} ≠ ${indexIds.users.size} indexed users`);
    }
    if (indexIds.countries !== undefined && metadataDoc.total_countries !== indexIds.countries.size) {
      problems.push(
        `metadata.total_countries ${String(metadataDoc.total_countries)} ≠ ${indexIds.countries.size} indexed countries`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ExporterError(
      "inconsistent_tree",
      `the export tree is inconsistent:\n${problems.join("\n")}`,
      "indexes, metadata and profiles must come from the same datamart snapshot; the previous tree is untouched",
      undefined,
      problems,
    );
  }
}

function list(ids: number[]): string {
  return ids.length <= MAX_LISTED ? ids.join(", ") : `${ids.slice(0, MAX_LISTED).join(", ")} … (${ids.length})`;
}

function describeInvalid(invalid: InvalidDocument[]): string {
  const lines = invalid.slice(0, MAX_LISTED).flatMap((d) =>
    d.issues
      .slice(0, 5)
      .map((i) => `  ${d.path} ${i.instancePath || "/"}: ${i.message} (${i.keyword} at ${i.schemaPath})`),
  );
  if (invalid.length > MAX_LISTED) lines.push(`  … and ${invalid.length - MAX_LISTED} more file(s) (see error.details)`);
  return lines.join("\n");
}
