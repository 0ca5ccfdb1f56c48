import { spawn } from "node:child_process";
import { lstat, readdir, readlink, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// Atomic publication of a tree: the target path `out` is a symbolic link to a sibling version
// directory `out.v-<stamp>`. A new export is written into a fresh version directory beside it
// (same parent, so the same file system), and the swap is: create `out.swap-<rand>` pointing at
// the new version, then rename() it over `out`. rename(2) replaces the link atomically, so a
// reader that opens `out/...` sees the complete old tree or the complete new tree, never a mix
// and never nothing. A crash before the rename leaves `out` pointing at the untouched old
// version; the half-written version is removed by the next run.
// Why not rename directories: rename(2) cannot replace a non-empty directory, so a directory
// dance (out → old, new → out) has a moment with no `out`. Linux's RENAME_EXCHANGE would avoid
// it but is not reachable from Bun/Node. The only such moment here is the one-time migration of
// a plain directory left by another tool into a version directory (two renames back to back).
// Readers that walk the tree over a long time (rsync, a publisher) should resolve `out` once
// (realpath) and read from the version directory, which a later swap does not touch: old
// versions are only deleted (full export) or rewritten (incremental export, see _reuse.ts) by
// the export after the one that replaced them.

export function versionPrefix(outDir: string): string {
  return `${basename(outDir)}.v-`;
}

export function newVersionDir(outDir: string): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  const rand = Math.random().toString(36).slice(2, 8);
  return join(dirname(outDir), `${versionPrefix(outDir)}${stamp}-${process.pid}-${rand}`);
}

/** The version directory `out` currently points at, or undefined when `out` does not exist. */
export async function currentVersionDir(outDir: string): Promise<string | undefined> {
  let stat;
  try {
    stat = await lstat(outDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (!stat.isSymbolicLink()) {
    // A plain directory (first run over an older export): adopt it as a version directory.
    if (!stat.isDirectory()) throw new Error(`${outDir} exists and is neither a directory nor a symlink`);
    const adopted = newVersionDir(outDir);
    await rename(outDir, adopted);
    await pointAt(outDir, adopted);
    return adopted;
  }
  return join(dirname(outDir), await readlink(outDir));
}

/**
 * Deletes the version directories of `out` other than `keep` (the one before the current, or
 * half-written ones), off the export's critical path: each is renamed
 * to `out.trash-<rand>` (one rename, so it is gone from the version namespace at once) and a
 * detached `rm -rf` deletes the trash, including trash a killed earlier rm left behind. On this
 * kind of VM unlinking a 25 000-file version costs 3–7 s; an incremental export should not wait.
 */
export async function discardStaleVersions(outDir: string, keep: ReadonlyArray<string | undefined>): Promise<string[]> {
  const parent = dirname(outDir);
  const prefix = versionPrefix(outDir);
  const trashPrefix = `${basename(outDir)}.trash-`;
  const swapPrefix = `${basename(outDir)}.swap-`;
  const kept = new Set(keep.filter((k): k is string => k !== undefined).map((k) => basename(k)));
  const discarded: string[] = [];
  const trash: string[] = [];
  for (const name of await readdir(parent)) {
    if (name.startsWith(trashPrefix)) trash.push(join(parent, name));
    if (!(name.startsWith(prefix) || name.startsWith(swapPrefix)) || kept.has(name)) continue;
    const to = join(parent, `${trashPrefix}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    await rename(join(parent, name), to);
    trash.push(to);
    discarded.push(name);
  }
  if (trash.length > 0) {
    try {
      const child = spawn("rm", ["-rf", "--", ...trash], { detached: true, stdio: "ignore" });
      child.on("error", () => undefined); // no rm: the next export sweeps the trash again
      child.unref();
    } catch {
      // as above
    }
  }
  return discarded;
}

/** Atomically makes `out` a symlink to versionDir (relative, so the pair can be moved). */
export async function pointAt(outDir: string, versionDir: string): Promise<void> {
  const tmp = join(dirname(outDir), `${basename(outDir)}.swap-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await symlink(basename(versionDir), tmp);
  try {
    await rename(tmp, outDir);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
