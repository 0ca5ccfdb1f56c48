// The id git gives a file's content: sha1("blob <byte length>\0" + bytes). The tree writer
// records it per file in the manifest and both publishers compare it with the remote tree, so
// an unchanged file is recognised without downloading anything.
import { createHash } from "node:crypto";

// node:crypto rather than Bun.CryptoHasher: the package also runs under Node (dist).
/** Of one buffer, or of pieces that follow each other (hashed where they are). */
export function gitBlobId(bytes: Uint8Array | readonly Uint8Array[]): string {
  const pieces = bytes instanceof Uint8Array ? [bytes] : bytes;
  let length = 0;
  for (const piece of pieces) length += piece.byteLength;
  const hasher = createHash("sha1");
  hasher.update(`blob ${length}\0`);
  for (const piece of pieces) hasher.update(piece);
  return hasher.digest("hex");
}
