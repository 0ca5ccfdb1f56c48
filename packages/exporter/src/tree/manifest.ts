import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ManifestText, parseManifest } from "./manifest-text.ts";

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
  const bytes = await readManifestBytes(dir);
  if (bytes === undefined) return undefined;
  try {
    return parseManifest(bytes.toString("utf8"));
  } catch {
    throw new Error(`unknown manifest format in ${dir}`);
  }
}

/** The same, indexed as text (see manifest-text.ts): what writeTree works with. */
export async function readManifestText(dir: string): Promise<ManifestText | undefined> {
  const bytes = await readManifestBytes(dir);
  if (bytes === undefined) return undefined;
  try {
    return ManifestText.fromBytes(bytes);
  } catch {
    throw new Error(`unknown manifest format in ${dir}`);
  }
}

async function readManifestBytes(dir: string): Promise<Buffer | undefined> {
  try {
    return await readFile(join(dir, MANIFEST_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
      return undefined;
    }
    throw err;
  }
}
