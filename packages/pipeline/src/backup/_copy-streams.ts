import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** Passes bytes through while counting rows (COPY text: one line per row) and hashing them. */
export class CountingHash extends Transform {
  rows = 0;
  bytes = 0;
  private readonly hash = createHash("sha256");

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows++;
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

/**
 * postgres.js 3.4.9 pauses the socket when a COPY TO stream's buffer is full; when that happens
 * on the last CopyData nothing resumes it and the connection hangs (porsager/postgres#917, the
 * ETL's stage.ts does the same). The stream's own read hook resumes it; harmless otherwise.
 */
export function resumeCopySocket(readable: unknown): void {
  (readable as { _read(size: number): void })._read(0);
}
