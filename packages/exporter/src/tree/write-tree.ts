import { link, mkdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { DocumentKind, DocumentOfKind } from "../documents/document-kinds.ts";
import { ExporterError } from "../exporter-error.ts";
import { FIXED_PATHS, parseDocumentPath } from "../paths.ts";
import { validateDocument, type ValidateDocument, type ValidationIssue } from "../validator.ts";
import { currentVersionDir, discardStaleVersions, newVersionDir, pointAt } from "./_swap.ts";
import { MANIFEST_FILE, readManifest, type Manifest, type ManifestEntry } from "./manifest.ts";
import { pathIssue, prepareDocument, type Prepared } from "./_prepare.ts";
import { directoryMaker, ignoreMissing, markChanging, readChanges, replayChanges, reusablePredecessor, writeChanges } from "./_reuse.ts";
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
  prepared: Prepared;
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
  previousManifest?: Manifest;
  /**
   * Full mode: also hard-link the new tree into a second version directory, recorded as its
   * predecessor, so the first incremental export after this one brings that copy up to date
   * (cost ∝ changes) instead of linking every file into a fresh directory (≈ 4 s at 235 000
   * files). The links cost this export instead (default false).
   */
  twin?: boolean;
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
  manifest: Manifest;
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
  const previous: Manifest =
    options.previousManifest ?? (previousDir !== undefined ? await readManifest(previousDir) : undefined) ?? {
      version: 1,
      files: {},
    };
  if (mode === "incremental" && previousDir === undefined && Object.keys(previous.files).length > 0) {
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
        for (const path of Object.keys(previous.files)) {
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
      files[entry.path] = { sha1, size: bytes.byteLength };
      const path = entry.path;
      if (cloned && previous.files[path]?.sha1 === sha1) {
        unchanged += 1; // already there: the staging directory is a copy of the current tree
        continue;
      }
      await throttle(async () => {
        // Same bytes as the previous tree: a hard link (measured 9 µs) instead of a write (30 µs).
        if (!cloned && previous.files[path]?.sha1 === sha1 && (await linkFromPrevious(path))) {
          unchanged += 1;
          return;
        }
        const target = join(stagingDir, path);
        // A copy of the current tree has the directory of every path the current tree has
        // (mkdir -p of 2 000 existing directories measured 0.1–0.7 s at 1 M notes).
        if (!(cloned && Object.hasOwn(previous.files, path))) await ensureDir(dirname(target));
        // The copy shares inodes with the current tree: replace the name, never write into it.
        if (cloned) await unlink(target).catch(ignoreMissing);
        // fs.promises.writeFile, 64 in flight: Bun.write measured twice as slow here in a full
        // export (30 000 profiles: 25 s against 13 s; file creation is disk-bound on ext4).
        await writeFile(target, bytes).catch(async (err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
          await ensureDir(dirname(target));
          await writeFile(target, bytes);
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

    const removedPaths: string[] = [];
    // Incremental: the profiles of the new tree, collected by the merge below (one pass over
    // 235 000 paths instead of a second one in checkConsistency).
    let profiles: ProfileIds | undefined;
    if (mode === "incremental") {
      // Profiles of entities that left the new index are removed with it (no stale files).
      const removed = (path: string, profile: ReturnType<typeof profileOf>): boolean => {
        if (deletions.has(path)) return true;
        if (profile?.kind === "user-profile" && indexIds.users !== undefined) return !indexIds.users.has(profile.id);
        if (profile?.kind === "country-profile" && indexIds.countries !== undefined) return !indexIds.countries.has(profile.id);
        return false;
      };
      // The new manifest keeps the previous one's order (sorted when it was written): the
      // run's few new paths are merged in as the previous paths go by, instead of sorting
      // 235 000 paths again. One pass with for…in and no [path, entry] pairs: Object.entries
      // and Object.fromEntries of 235 000 entries were ≈ 0.3 s of the main thread at 1 M notes.
      const added = Object.keys(files).filter((p) => !Object.hasOwn(previous.files, p)).sort(byPath);
      const merged: Record<string, ManifestEntry> = {};
      profiles = { users: new Set(), countries: new Set() };
      let previousSorted = true;
      let last: string | undefined;
      let next = 0;
      for (const path in previous.files) {
        const entry = previous.files[path]!;
        if (last !== undefined && !(last < path)) previousSorted = false;
        last = path;
        const profile = profileOf(path);
        for (; next < added.length && added[next]! < path; next++) merged[added[next]!] = files[added[next]!]!;
        const given = Object.hasOwn(files, path) ? files[path] : undefined;
        if (given !== undefined) {
          merged[path] = given;
          addProfile(profiles, profile);
          continue;
        }
        if (removed(path, profile)) {
          removedPaths.push(path);
          await throttle(() => unlink(join(stagingDir, path)).catch(ignoreMissing));
          continue;
        }
        merged[path] = entry;
        addProfile(profiles, profile);
        carried += 1;
      }
      await Promise.all(pending);
      for (; next < added.length; next++) merged[added[next]!] = files[added[next]!]!;
      for (const path of added) addProfile(profiles, profileOf(path));
      // A previous manifest out of order (not written by this code): the same entries, sorted.
      files = previousSorted ? merged : sortedFiles(merged);
      if (indexIds.users === undefined && FIXED_PATHS["user-index"] in files) {
        indexIds.users = idsOf(await readJson(stagingDir, FIXED_PATHS["user-index"]), "user_id");
      }
      if (indexIds.countries === undefined && FIXED_PATHS["country-index"] in files) {
        indexIds.countries = idsOf(await readJson(stagingDir, FIXED_PATHS["country-index"]), "country_id");
      }
      if (metadataDoc === undefined && FIXED_PATHS.metadata in files) {
        metadataDoc = (await readJson(stagingDir, FIXED_PATHS.metadata)) as typeof metadataDoc;
      }
    }

    checkConsistency(files, indexIds, metadataDoc, options.complete ?? true, profiles);

    const manifest: Manifest = { version: 1, files: mode === "incremental" ? files : sortedFiles(files) };
    const deleted = mode === "incremental" ? removedPaths : Object.keys(previous.files).filter((p) => !(p in files));
    const manifestText = Buffer.from(`${JSON.stringify(manifest)}\n`);
    // Every file of the new version validated against today's schemas: this run's files by the
    // default validator, the carried ones by a run that left the same marker.
    const schemaHash = dataSchemaHash();
    const validated =
      validate === validateDocument && (mode === "full" || (previousDir !== undefined && (await readChanges(previousDir))?.validated === schemaHash))
        ? { validated: schemaHash }
        : {};
    if (mode === "full" && options.twin === true) {
      // The twin: same files (hard links), same manifest, nothing changed between the two. Its
      // manifest is written last (a twin without one is never reused); until this tree is
      // swapped in, nothing refers to it, and a failed run leaves it to discardStaleVersions.
      twinDir = newVersionDir(outDir);
      await mkdir(twinDir);
      const twinDirs = directoryMaker();
      for (const path of Object.keys(manifest.files)) {
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
    return {
      outDir, versionDir: stagingDir, written: written.sort(), unchanged, carried, deleted: deleted.sort(), manifest,
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
function checkPrepared(entry: TreePreparedProfile | TreePreparedIndex, validate: ValidateDocument | undefined): Prepared {
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

/**
 * The profile a tree path holds. Only for paths already checked by checkPath (or read from a
 * manifest written after that check): a plain slice, where parseDocumentPath's full check of
 * 235 000 paths measured 0.5 s.
 */
function profileOf(path: string): { kind: "user-profile" | "country-profile"; id: number } | undefined {
  const kind = path.startsWith("users/") ? "user-profile" : path.startsWith("countries/") ? "country-profile" : undefined;
  if (kind === undefined) return undefined;
  return { kind, id: Number(path.slice(path.lastIndexOf("/") + 1, -".json".length)) };
}

interface ProfileIds {
  users: Set<number>;
  countries: Set<number>;
}

function addProfile(profiles: ProfileIds, profile: ReturnType<typeof profileOf>): void {
  if (profile?.kind === "user-profile") profiles.users.add(profile.id);
  if (profile?.kind === "country-profile") profiles.countries.add(profile.id);
}

function idsOf(doc: unknown, key: "user_id" | "country_id"): Set<number> {
  return new Set((Array.isArray(doc) ? doc : []).map((e) => (e as Record<string, number>)[key]!));
}

async function readJson(dir: string, path: string): Promise<unknown> {
  return JSON.parse(await readFile(join(dir, path), "utf8"));
}

/** Indexes, profiles and metadata must describe the same entities (checked before the swap). */
function checkConsistency(
  files: Record<string, ManifestEntry>,
  indexIds: { users?: ReadonlySet<number>; countries?: ReadonlySet<number> },
  metadataDoc: { total_users?: unknown; total_countries?: unknown } | undefined,
  complete: boolean,
  /** The profiles among files' paths, when the caller already collected them. */
  collected?: ProfileIds,
): void {
  const problems: string[] = [];
  if (complete) {
    const missing = Object.values(FIXED_PATHS).filter((p) => !(p in files));
    if (missing.length > 0) problems.push(`missing ${missing.join(", ")}`);
  }
  let profiles = collected;
  if (profiles === undefined) {
    profiles = { users: new Set<number>(), countries: new Set<number>() };
    for (const path of Object.keys(files)) addProfile(profiles, profileOf(path));
  }
  for (const family of ["users", "countries"] as const) {
    const index = indexIds[family];
    if (index === undefined) continue;
    // Equal sizes and every profile indexed: the same set (the usual case, one pass).
    if (profiles[family].size === index.size && [...profiles[family]].every((id) => index.has(id))) continue;
    const noFile = [...index].filter((id) => !profiles[family].has(id));
    const notIndexed = [...profiles[family]].filter((id) => !index.has(id));
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

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedFiles(files: Record<string, ManifestEntry>): Record<string, ManifestEntry> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => byPath(a, b)));
}
