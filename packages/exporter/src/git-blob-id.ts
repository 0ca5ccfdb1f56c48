// The id git gives a file's content: sha1("blob <byte length>\0" + bytes). The tree writer
// records it per file in the manifest and both publishers compare it with the remote tree, so
// an unchanged file is recognised without downloading anything.
import { createHash } from "node:crypto";

// node:crypto rather than Bun.CryptoHasher: the package also runs under Node (dist).
export function gitBlobId(bytes: Uint8Array): string {
  const hasher = createHash("sha1");
  hasher.update(`blob ${bytes.byteLength}\0`);
  hasher.update(bytes);
  return hasher.digest("hex");
}
