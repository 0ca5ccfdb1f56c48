import { readdir, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { gitBlobId } from "../git-blob-id.ts";

export interface LocalFile {
  /** Absolute path of the file inside the resolved export tree. */
  abs: string;
  sha1: string;
  size: number;
}

/**
 * Every file of the export tree at fromDir by path relative to it, with its git blob id.
 * fromDir is resolved once (realpath): if it is the exporter's symlink, a swap during the
 * publish does not mix two versions. Dotfiles (the manifest) are not published.
 */
export async function listLocalFiles(fromDir: string): Promise<Map<string, LocalFile>> {
  const root = await realpath(fromDir);
  const files = new Map<string, LocalFile>();
  const queue: string[] = [""];
  const work: Array<Promise<void>> = [];
  while (queue.length > 0) {
    const rel = queue.pop()!;
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) queue.push(childRel);
      else if (entry.isFile()) {
        const abs = join(root, childRel);
        work.push(
          readFile(abs).then((bytes) => {
            files.set(childRel, { abs, sha1: gitBlobId(bytes), size: bytes.byteLength });
          }),
        );
        if (work.length >= 256) await Promise.all(work.splice(0));
      }
    }
  }
  await Promise.all(work);
  return files;
}
