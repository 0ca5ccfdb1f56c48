// Worker thread entry of _profile-pool.ts: prepares batches of user profile rows.
import { parentPort, workerData } from "node:worker_threads";
import { prepareProfiles, type RowBatch } from "./_profile-work.ts";

const { validate } = workerData as { validate: boolean };

parentPort!.on("message", (message: { id: number; batch: RowBatch; withIndexEntries: boolean }) => {
  const result = prepareProfiles(message.batch, validate, message.withIndexEntries);
  parentPort!.postMessage({ id: message.id, result }, "data" in result ? [result.data.buffer as ArrayBuffer] : []);
});
