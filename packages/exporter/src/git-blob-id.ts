// The id git gives a file's content: sha1("blob <byte length>\0" + bytes). The tree writer
// records it per file in the manifest and both publishers compare it with the remote tree, so
// an unchanged file is recognised without downloading anything.
export function gitBlobId(bytes: Uint8Array): string {
  const hasher = new Bun.CryptoHasher("sha1");
  hasher.update(`blob ${bytes.byteLength}\0`);
  hasher.update(bytes);
  return hasher.digest("hex");
}
