import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTree } from "../index.ts";
import { range, snapshot, treeEntries } from "../../test/tree-fixtures.ts";
import { removeDir } from "../../test/remove-dir.ts";

const root = mkdtempSync(join(tmpdir(), "exporter-kill-"));
afterAll(() => removeDir(root));

/** Runs test/write-big-tree.ts with args and SIGKILLs it once it reports 1 000 documents. */
async function killAfterThousand(args: string[]): Promise<{ text: string }> {
  const child = Bun.spawn(["bun", join(import.meta.dir, "../../test/write-big-tree.ts"), ...args], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/progress 1000\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child ended before the kill point: ${text}`);
    text += decoder.decode(value);
  }
  child.kill("SIGKILL");
  expect(await child.exited).not.toBe(0);
  expect(child.signalCode).toBe("SIGKILL");
  return { text };
}

test("SIGKILL during a big write leaves the previous tree byte-identical; the next export succeeds", async () => {
  const out = join(root, "out");
  await writeTree(out, treeEntries({ users: range(1, 200).map((id) => ({ id })), countries: [{ id: -1 }] }));
  const before = snapshot(out);
  const target = readlinkSync(out);

  // Killed once the child has written a thousand of its 5 000 documents into its staging directory.
  const { text } = await killAfterThousand([out, "5000"]);
  expect(text).not.toContain("done");

  // The half-written version directory exists beside out…
  const versions = readdirSync(root).filter((x) => x.startsWith("out.v-"));
  expect(versions.length).toBe(2);
  // …but out still points at the previous, untouched tree.
  expect(readlinkSync(out)).toBe(target);
  expect(snapshot(out)).toEqual(before);

  const next = await writeTree(out, treeEntries({ users: range(1, 300).map((id) => ({ id })), countries: [{ id: -1 }] }));
  expect(Object.keys(next.manifest.files).length).toBe(300 + 1 + 4);
  // The leftover of the killed run was removed; old and new versions remain.
  expect(readdirSync(root).filter((x) => x.startsWith("out.v-")).sort()).toEqual([target, readlinkSync(out)].sort());
}, 60_000);

test("SIGKILL during an incremental run that reuses the predecessor: current tree intact, next run correct", async () => {
  const out = join(root, "inc");
  const tree = (opens: number | undefined) => treeEntries({ users: range(1, 3000).map((id) => ({ id, opens })), countries: [{ id: -1 }] });
  await writeTree(out, tree(undefined));
  await writeTree(out, tree(6), { mode: "incremental" }); // now a predecessor exists to reuse
  const before = snapshot(out);
  const target = readlinkSync(out);

  await killAfterThousand([out, "3000", "incremental"]);
  expect(readlinkSync(out)).toBe(target);
  expect(snapshot(out)).toEqual(before);

  const next = await writeTree(out, tree(8), { mode: "incremental" });
  expect(next.base).toBe("linked"); // the spoiled predecessor is not trusted
  const full = join(root, "inc-full");
  await writeTree(full, tree(8));
  const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
  expect(content(out)).toEqual(content(full));
}, 60_000);
