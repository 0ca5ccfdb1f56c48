import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJson, type JsonExportSource } from "./export-json.ts";
import { userProfilePath } from "./paths.ts";
import type { TreeEntry } from "./tree/write-tree.ts";
import { indexEntries, range, treeEntries, type TreeSpec } from "../test/tree-fixtures.ts";
import { removeDir } from "../test/remove-dir.ts";

const root = mkdtempSync(join(tmpdir(), "exporter-json-"));
afterAll(() => removeDir(root));

/** An in-memory stand-in for the datamart reader: users with a changed flag. */
function source(spec: TreeSpec, changed: Set<number>, log: string[]): JsonExportSource {
  return {
    async *entries(mode): AsyncIterable<TreeEntry> {
      log.push(`entries ${mode}`);
      if (mode === "full") yield* treeEntries(spec);
      else {
        yield* treeEntries({ users: spec.users.filter((u) => changed.has(u.id)), countries: [] }).filter((e) => e.kind === "user-profile");
        yield* indexEntries(spec);
      }
    },
    async markExported(report, mode) {
      log.push(`marked ${mode} ${report.written.length}`);
      changed.clear();
    },
  };
}

test("first export is full, later ones incremental; markExported runs only after a successful swap", async () => {
  const out = join(root, "out");
  const log: string[] = [];
  const spec: TreeSpec = { users: range(1, 10).map((id) => ({ id })), countries: [{ id: -1 }] };
  await exportJson(source(spec, new Set(), log), { outDir: out });
  spec.users[4] = { id: 5, opens: 77 };
  await exportJson(source(spec, new Set([5]), log), { outDir: out });
  expect(JSON.parse(readFileSync(join(out, userProfilePath(5)), "utf8")).history_whole_open).toBe(77);

  // A broken snapshot: the index names a user whose profile the source does not give.
  const broken: TreeSpec = { ...spec, users: [...spec.users, { id: 11 }] };
  const failing = source(broken, new Set(), log);
  failing.entries = async function* (): AsyncIterable<TreeEntry> {
    yield* indexEntries(broken);
  };
  await expect(exportJson(failing, { outDir: out })).rejects.toThrow("inconsistent");
  expect(log).toEqual(["entries full", "marked full 15", "entries incremental", "marked incremental 2"]);

  await exportJson(source(spec, new Set(), log), { outDir: out, full: true });
  expect(log.at(-2)).toBe("entries full");
});
