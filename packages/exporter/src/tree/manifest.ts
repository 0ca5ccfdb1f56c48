import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Name of the manifest file at the root of every exported tree (publishers skip dotfiles). */
export const MANIFEST_FILE = ".manifest.json";

export interface ManifestEntry {
  /** git blob id of the file's bytes (see git-blob-id.ts): equal id ⇔ equal content. */
  sha1: string;
  size: number;
}

/** Every file of a tree, by path relative to its root. */
export interface Manifest {
  version: 1;
  files: Record<string, ManifestEntry>;
}

/** The manifest of the tree at dir, or undefined when there is none (first export). */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
      return undefined;
    }
    throw err;
  }
  const parsed = JSON.parse(text) as Manifest;
  if (parsed.version !== 1 || typeof parsed.files !== "object") throw new Error(`unknown manifest format in ${dir}`);
  return parsed;
}
