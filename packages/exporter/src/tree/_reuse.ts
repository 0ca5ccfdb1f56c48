import { spawn } from "node:child_process";
import { access, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MANIFEST_FILE } from "./manifest.ts";
import type { ManifestText } from "./manifest-text.ts";
import { newVersionDir } from "./_swap.ts";

// Incremental exports reuse the version before the current one instead of hard-linking every
// file of the current tree into a fresh directory (measured at 235 000 files: 2.6 s of links,
// the bulk of an incremental export). Every version records the paths that differ from its
// predecessor (CHANGES_FILE); the predecessor, still on disk, becomes a copy of the current
// tree by replaying only those paths, then takes the run's own changes, then is swapped in.
// The current tree is never touched, so the swap stays all-or-nothing for readers. The reused
// directory loses its manifest first: a run that fails or is killed while changing it leaves a
// directory without manifest, which is never reused (the next run links a fresh copy).

/** Paths that differ from the predecessor version (written or removed), at a version's root. */
export const CHANGES_FILE = ".changes.json";

export interface VersionChanges {
  /** Directory name of the predecessor version. */
  base: string;
  paths: string[];
  /**
   * The data schema hash (json-schemas.ts) when every file of this version was validated
   * against those schemas by the default validator: written by this run, or carried from a
   * version that had the same marker (see write-tree.ts).
   */
  validated?: string;
}

export async function writeChanges(versionDir: string, changes: VersionChanges): Promise<void> {
  await writeFile(join(versionDir, CHANGES_FILE), `${JSON.stringify(changes)}\n`);
}

export async function readChanges(versionDir: string): Promise<VersionChanges | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(versionDir, CHANGES_FILE), "utf8")) as VersionChanges;
    return typeof parsed.base === "string" && Array.isArray(parsed.paths) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The predecessor of `currentDir` when it can be brought up to date by replaying the current
 * version's changes: it exists, is intact (has its manifest) and is a sibling.
 */
export async function reusablePredecessor(
  currentDir: string,
): Promise<{ dir: string; changes: VersionChanges } | undefined> {
  const changes = await readChanges(currentDir);
  if (changes === undefined || changes.base === "" || changes.base !== basename(changes.base)) return undefined;
  if (changes.base === basename(currentDir)) return undefined;
  const dir = join(dirname(currentDir), changes.base);
  // Its manifest's presence is what matters (it is written last, removed first); parsing it
  // (21 MB at 1 M notes) would cost 0.4 s for nothing.
  const intact = await access(join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  return intact ? { dir, changes } : undefined;
}

/** Makes `dir` untrusted until its new manifest is written (see above). */
export async function markChanging(dir: string): Promise<void> {
  for (const file of [MANIFEST_FILE, CHANGES_FILE]) await unlink(join(dir, file)).catch(ignoreMissing);
}

/**
 * Turns the predecessor `dir` into a copy of `currentDir`: each changed path is unlinked and,
 * when the current tree has it, hard-linked from there.
 */
export async function replayChanges(
  currentDir: string,
  dir: string,
  changes: VersionChanges,
  current: ManifestText,
  ensureDir: (dir: string) => Promise<void>,
): Promise<void> {
  const replay = async (path: string) => {
    const target = join(dir, path);
    await unlink(target).catch(ignoreMissing);
    if (!current.has(path)) return;
    // The directory is there unless the path is new in the current version.
    try {
      await link(join(currentDir, path), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      await ensureDir(dirname(target));
      await link(join(currentDir, path), target);
    }
  };
  for (let i = 0; i < changes.paths.length; i += REPLAY_BATCH) {
    await Promise.all(changes.paths.slice(i, i + REPLAY_BATCH).map(replay));
  }
}

const REPLAY_BATCH = 256;

/**
 * Makes `twinDir` a copy of `versionDir` (hard links, manifest included) in a detached process
 * that outlives this one: `cp -al` into a temporary version directory, renamed to `twinDir`
 * once complete, so a twin that exists is whole (a partial copy has a version name the next
 * export sweeps away, see discardStaleVersions). Best effort: without `cp -l` (or when the
 * copy is swept or killed) there is no twin, and the first incremental export links a fresh
 * copy of the tree instead.
 */
export function linkTwinDetached(versionDir: string, twinDir: string, outDir: string): void {
  const partial = newVersionDir(outDir);
  try {
    const child = spawn("sh", ["-c", 'cp -al -- "$1" "$2" && mv -- "$2" "$3"', "sh", versionDir, partial, twinDir], {
      detached: true,
      stdio: "ignore",
    });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // as above: no twin
  }
}

export function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
}

/** mkdir -p, once per directory, shared by concurrent callers. */
export function directoryMaker(): (dir: string) => Promise<void> {
  const made = new Map<string, Promise<unknown>>();
  return async (dir) => {
    let p = made.get(dir);
    if (p === undefined) {
      p = mkdir(dir, { recursive: true });
      made.set(dir, p);
    }
    await p;
  };
}
