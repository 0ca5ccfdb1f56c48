// The id git gives a file's content: sha1("blob <byte length>\0" + bytes). The tree writer
// records it per file in the manifest and both publishers compare it with the remote tree, so
// an unchanged file is recognised without downloading anything.
import { createHash } from "node:crypto";
import { byteLength, type FileBytes } from "./tree/_file-bytes.ts";

// node:crypto rather than Bun.CryptoHasher: the package also runs under Node (dist).
/** Of one buffer, or of pieces that follow each other (hashed where they are). */
export function gitBlobId(bytes: FileBytes): string {
  const hasher = createHash("sha1");
  hasher.update(`blob ${byteLength(bytes)}\0`);
  for (const piece of bytes instanceof Uint8Array ? [bytes] : bytes) hasher.update(piece);
  return hasher.digest("hex");
}
