import { open } from "node:fs/promises";

/**
 * A file's content: one buffer, or pieces that follow each other. The patched users.json (77 MB
 * at 1 M notes) is pieces: runs of the current file's bytes and the changed entries, hashed and
 * written where they are instead of copied into one new buffer first.
 */
export type FileBytes = Uint8Array | readonly Uint8Array[];

export function byteLength(bytes: FileBytes): number {
  if (bytes instanceof Uint8Array) return bytes.byteLength;
  let n = 0;
  for (const part of bytes) n += part.byteLength;
  return n;
}

/** writev(2) takes at most IOV_MAX (1 024 on Linux) pieces per call. */
const PIECES_PER_CALL = 1024;

/** Creates (or truncates) the file at path with these bytes. */
export async function writeFileBytes(path: string, bytes: readonly Uint8Array[]): Promise<void> {
  const file = await open(path, "w");
  try {
    for (let i = 0; i < bytes.length; i += PIECES_PER_CALL) {
      let pieces = bytes.slice(i, i + PIECES_PER_CALL);
      let left = byteLength(pieces);
      while (left > 0) {
        const { bytesWritten } = await file.writev(pieces as Uint8Array[]);
        left -= bytesWritten;
        if (left > 0) pieces = after(pieces, bytesWritten); // a short write: the rest again
      }
    }
  } finally {
    await file.close();
  }
}

/** The pieces without their first `skip` bytes. */
function after(pieces: readonly Uint8Array[], skip: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  for (const piece of pieces) {
    if (skip >= piece.byteLength) {
      skip -= piece.byteLength;
      continue;
    }
    rest.push(skip > 0 ? piece.subarray(skip) : piece);
    skip = 0;
  }
  return rest;
}
