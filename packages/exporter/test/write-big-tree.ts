// Child process of the kill test: writes a big tree into argv[2] and reports progress on
// stdout so the parent can SIGKILL it mid-way.
import { writeTree } from "../src/index.ts";
import { range, treeEntries } from "./tree-fixtures.ts";

const out = process.argv[2]!;
const users = Number(process.argv[3] ?? "20000");
// argv[4] "incremental": every profile changes (opens 8), given as an incremental run.
const mode = process.argv[4] === "incremental" ? "incremental" : "full";
const opens = mode === "incremental" ? 8 : 7;
const entries = treeEntries({ users: range(1, users).map((id) => ({ id, opens })), countries: [{ id: -1 }] });
await writeTree(out, entries, {
  mode,
  progressEvery: 500,
  onProgress: (count) => process.stdout.write(`progress ${count}\n`),
});
process.stdout.write("done\n");
