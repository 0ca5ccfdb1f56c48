import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExporterError } from "../exporter-error.ts";
import { userProfilePath } from "../paths.ts";
import { writeTree } from "../tree/write-tree.ts";
import { publishToGit } from "./git-publisher.ts";
import { range, treeEntries, type TreeSpec } from "../../test/tree-fixtures.ts";
import { commitCount, filesAt, gitSync, touchedBy } from "../../test/git-helpers.ts";

const root = mkdtempSync(join(tmpdir(), "exporter-git-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const remote = join(root, "remote.git");
const out = join(root, "export", "out");
const workDir = join(root, "work");
const author = { name: "Bot for OSM Notes", email: "bot@example.org" };
const opts = { workDir, author, message: "Auto-update: test" };

const state = (changed: number[] = [], removed: number[] = []): TreeSpec => ({
  users: range(1, 20)
    .filter((id) => !removed.includes(id))
    .map((id) => ({ id, opens: changed.includes(id) ? 500 + id : undefined })),
  countries: [{ id: -1 }, { id: 51477 }],
});
const THREE = [3, 11, 17];
const data = (paths: string[]) => paths.map((p) => `data/${p}`).sort();

beforeAll(() => {
  gitSync(root, ["init", "--bare", "--quiet", "--initial-branch=main", remote]);
});

describe("publishToGit (local bare repository)", () => {
  test("first publish commits the whole tree in one commit", async () => {
    await writeTree(out, treeEntries(state()));
    const report = await publishToGit(out, remote, opts);
    expect(report.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report.added.length).toBe(20 + 2 + 4);
    expect(report.modified).toEqual([]);
    expect(commitCount(remote)).toBe(1);
    expect(filesAt(remote)).toEqual(report.added);
    expect(filesAt(remote)).not.toContain("data/.manifest.json");
    expect(gitSync(remote, ["log", "-1", "--format=%an <%ae>|%s", "main"]).trim()).toBe(
      "Bot for OSM Notes <bot@example.org>|Auto-update: test",
    );
  });

  test("a second publish with no change makes no commit", async () => {
    const head = gitSync(remote, ["rev-parse", "main"]);
    const report = await publishToGit(out, remote, opts);
    expect(report.commit).toBeUndefined();
    expect([report.added, report.modified, report.deleted]).toEqual([[], [], []]);
    expect(report.unchanged).toBe(26);
    expect(gitSync(remote, ["rev-parse", "main"])).toBe(head);
  });

  test("3 changed users + the user index: exactly one commit touching exactly those files", async () => {
    await writeTree(out, treeEntries(state(THREE)));
    const dry = await publishToGit(out, remote, { ...opts, dryRun: true });
    const expected = data([userProfilePath(3), userProfilePath(11), userProfilePath(17), "indexes/users.json"]);
    expect(dry.modified).toEqual(expected);
    expect(dry.commit).toBeUndefined();
    expect(commitCount(remote)).toBe(1);

    const report = await publishToGit(out, remote, opts);
    expect(report.modified).toEqual(expected);
    expect([report.added, report.deleted]).toEqual([[], []]);
    expect(commitCount(remote)).toBe(2);
    expect(touchedBy(remote)).toEqual(expected);
  });

  test("removed entities are deleted in the same commit as the index change", async () => {
    await writeTree(out, treeEntries(state(THREE, [5])));
    const report = await publishToGit(out, remote, opts);
    expect(report.deleted).toEqual(data([userProfilePath(5)]));
    expect(touchedBy(remote)).toEqual(data([userProfilePath(5), "indexes/users.json", "metadata.json"]));
    expect(filesAt(remote)).not.toContain(`data/${userProfilePath(5)}`);
  });

  test("a concurrent push is retried on top of the new head, never forced", async () => {
    const other = join(root, "other");
    gitSync(root, ["clone", "--quiet", remote, other]);
    await writeTree(out, treeEntries(state([...THREE, 8], [5])));
    const report = await publishToGit(out, remote, {
      ...opts,
      onBeforePush: (attempt) => {
        if (attempt !== 1) return;
        // Another publisher pushes a README between our fetch and our push.
        writeFileSync(join(other, "README.md"), "hello\n");
        gitSync(other, ["add", "README.md"]);
        gitSync(other, ["commit", "--quiet", "-m", "README from elsewhere"]);
        gitSync(other, ["push", "--quiet", "origin", "main"]);
      },
    });
    expect(report.attempts).toBe(2);
    expect(report.modified).toEqual(data([userProfilePath(8), "indexes/users.json"]));
    // Linear history: our commit sits on top of the other one, whose README survives.
    expect(gitSync(remote, ["log", "--format=%s", "-2", "main"]).trim().split("\n")).toEqual([
      "Auto-update: test",
      "README from elsewhere",
    ]);
    expect(filesAt(remote)).toContain("README.md");
    expect(touchedBy(remote)).toEqual(data([userProfilePath(8), "indexes/users.json"]));
  });

  test("a file over the size limit is refused before anything is pushed", async () => {
    await writeTree(out, treeEntries(state([...THREE, 8, 9], [5])));
    const head = gitSync(remote, ["rev-parse", "main"]);
    const err = await publishToGit(out, remote, { ...opts, maxFileBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExporterError);
    expect((err as ExporterError).code).toBe("file_too_large");
    expect((err as ExporterError).message).toContain(`data/${userProfilePath(9)}`);
    expect(gitSync(remote, ["rev-parse", "main"])).toBe(head);
  });

  test("an unreachable remote is a typed error", async () => {
    const err = await publishToGit(out, join(root, "missing.git"), { ...opts, workDir: join(root, "work2") }).catch(
      (e: unknown) => e,
    );
    expect((err as ExporterError).code).toBe("git_failed");
  });
});
