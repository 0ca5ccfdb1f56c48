import { Worker } from "node:worker_threads";
import { packRows, prepareRows, unpackProfiles, type BatchFailure, type PreparedBatch, type PreparedProfile } from "./_profile-work.ts";
import type { ProfileColumn } from "./_row-cells.ts";

// Worker threads for the CPU part of user profiles (decode, map, validate, serialize, hash:
// ≈ 120 µs per profile at 1 M notes, 0.8 GB of rows), so it runs on the other core while the
// main thread reads the wire and writes files. Batches come back in submission order.

export interface ProfilePool {
  /** Whether the batches are validated (fixed when the pool starts). */
  readonly validate: boolean;
  /**
   * Rows of json/user-profiles-*.sql as raw cells, with their columns (_row-cells.ts);
   * withIndexEntries: also each user's index entry (incremental exports, _user-index-patch.ts).
   * Rejects with the error that ends the export.
   */
  prepare(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>, columns: ProfileColumn[], withIndexEntries?: boolean): Promise<PreparedProfile[]>;
  close(): Promise<void>;
}

/** A pool of `size` workers; size 0 prepares inline (same code, same results). */
export function profilePool(size: number, validate: boolean): ProfilePool {
  if (size <= 0) {
    return { validate, prepare: async (rows, columns, withIndexEntries) => prepareRows(rows, columns, validate, withIndexEntries), close: async () => undefined };
  }
  // src (Bun) or dist (Node): the worker module sits beside this one with the same extension.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const workers: Array<{ worker: Worker; busy: number }> = [];
  const waiting = new Map<number, { resolve: (r: PreparedBatch | BatchFailure) => void; reject: (e: unknown) => void; slot: number }>();
  let failure: unknown;
  let nextId = 0;
  for (let i = 0; i < size; i++) {
    const worker = new Worker(new URL(`./_profile-worker${extension}`, import.meta.url), { workerData: { validate } });
    const slot = { worker, busy: 0 };
    worker.on("message", (message: { id: number; result: PreparedBatch | BatchFailure }) => {
      const w = waiting.get(message.id);
      if (w === undefined) return;
      waiting.delete(message.id);
      slot.busy -= 1;
      w.resolve(message.result);
    });
    const fail = (err: unknown) => {
      failure ??= err;
      for (const [id, w] of waiting) if (w.slot === i) (waiting.delete(id), w.reject(err));
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`profile worker exited with code ${code}`));
    });
    workers.push(slot);
  }
  return {
    validate,
    prepare(rows, columns, withIndexEntries) {
      if (failure !== undefined) return Promise.reject(failure);
      const batch = packRows(rows, columns);
      let slot = 0;
      for (let i = 1; i < workers.length; i++) if (workers[i]!.busy < workers[slot]!.busy) slot = i;
      const w = workers[slot]!;
      const id = nextId++;
      w.busy += 1;
      const result = new Promise<PreparedBatch | BatchFailure>((resolve, reject) => waiting.set(id, { resolve, reject, slot }));
      w.worker.postMessage({ id, batch, withIndexEntries: withIndexEntries === true }, [batch.data.buffer as ArrayBuffer, batch.rowStarts.buffer as ArrayBuffer]);
      return result.then(unpackProfiles);
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
