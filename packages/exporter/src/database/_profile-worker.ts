// Worker thread entry of _profile-pool.ts: prepares batches of user profile rows.
import { parentPort, workerData } from "node:worker_threads";
import { compileValidator } from "../validator.ts";
import { prepareProfiles, type RowBatch } from "./_profile-work.ts";

const { validate } = workerData as { validate: boolean };
// Compiled at start, while the main thread still reads the previous manifest and the
// database state (messages wait in the port meanwhile).
if (validate) compileValidator("user-profile");

parentPort!.on("message", (message: { id: number; batch: RowBatch; withIndexEntries: boolean }) => {
  const result = prepareProfiles(message.batch, validate, message.withIndexEntries);
  parentPort!.postMessage({ id: message.id, result }, "data" in result ? [result.data.buffer as ArrayBuffer] : []);
});
