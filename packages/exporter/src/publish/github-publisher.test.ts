import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ExporterError } from "../exporter-error.ts";
import { userProfilePath } from "../paths.ts";
import { writeTree } from "../tree/write-tree.ts";
import { publish } from "./publish.ts";
import { FakeGitHub } from "../../test/fake-github.ts";
import { gitSync } from "../../test/git-helpers.ts";
import { range, snapshot, treeEntries, type TreeSpec } from "../../test/tree-fixtures.ts";

const root = mkdtempSync(join(tmpdir(), "exporter-github-"));
let fake: FakeGitHub;
let out: string;
let waits: number[];
let clock: number;
let caseNo = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  fake?.stop();
  fake = new FakeGitHub().start();
  fake.pushDirect("main", { "README.md": "# OSM-Notes-Data\n" }, "initial");
  caseNo += 1;
  out = join(root, `case${caseNo}`, "out");
  waits = [];
  clock = 1_800_000_000_000;
});
afterAll(() => fake.stop());

const options = () => ({
  baseUrl: fake.baseUrl,
  token: "test-token",
  author: { name: "Bot for OSM Notes", email: "bot@example.org" },
  message: "Auto-update: test",
  mutationIntervalMs: 0,
  sleep: async (ms: number) => {
    waits.push(ms);
    clock += ms;
  },
  now: () => clock,
});
const target = () => `github:${fake.owner}/${fake.repo}`;
const state = (users: number, changed: number[] = [], removed: number[] = []): TreeSpec => ({
  users: range(1, users)
    .filter((id) => !removed.includes(id))
    .map((id) => ({ id, opens: changed.includes(id) ? 900 : undefined })),
  countries: [{ id: -1 }, { id: 51477 }],
});
const posts = () => fake.calls.filter((c) => c.method !== "GET");

/** The remote data/ must equal the local tree, byte for byte. */
function expectRemoteEqualsLocal(): void {
  const remote = fake.files();
  const local = snapshot(out);
  for (const path of local.keys()) if (path.startsWith(".")) local.delete(path); // tree metadata, never published
  const remoteData = new Map([...remote].filter(([p]) => p.startsWith("data/")).map(([p, c]) => [p.slice(5), c]));
  expect([...remoteData.keys()].sort()).toEqual([...local.keys()].sort());
  for (const [p, c] of local) expect(Buffer.from(remoteData.get(p)!).toString("latin1")).toBe(Buffer.from(c, "latin1").toString("latin1"));
}

describe("publishToGitHub against a local Git Data API", () => {
  test("450 files: content inline, 3 createTree chunks, one commit, tree identical to real git's", async () => {
    await writeTree(out, treeEntries(state(444))); // 444 users + 2 countries + 4 = 450 files
    const report = await publish(out, target(), options());
    expect(report.added.length).toBe(450);
    expect(fake.countCalls("POST", "/git/trees")).toBe(3);
    expect(fake.calls.filter((c) => c.path.endsWith("/git/trees")).map((c) => (c.body as { tree: unknown[] }).tree.length)).toEqual([200, 200, 50]);
    expect(fake.countCalls("POST", "/git/blobs")).toBe(0);
    expect(fake.countCalls("POST", "/git/commits")).toBe(1);
    expect(fake.refs.get("heads/main")).toBe(report.commit!);
    expect(fake.files().get("README.md")).toBe("# OSM-Notes-Data\n");
    expectRemoteEqualsLocal();
    // Same files in a real git repository give the same root tree id.
    const repo = join(root, `case${caseNo}`, "check");
    gitSync(root, ["init", "--quiet", repo]);
    for (const [path, content] of fake.files()) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    }
    gitSync(repo, ["add", "-A"]);
    expect(gitSync(repo, ["write-tree"]).trim()).toBe(fake.commits.get(report.commit!)!.tree);
  });

  test("chunks also stop at treeChunkBytes of inline content", async () => {
    await writeTree(out, treeEntries(state(30)));
    const report = await publish(out, target(), { ...options(), treeChunkBytes: 10_000 });
    const chunks = fake.calls
      .filter((c) => c.method === "POST" && c.path.endsWith("/git/trees"))
      .map((c) => (c.body as { tree: Array<{ path: string; content?: string }> }).tree);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      const size = chunk.reduce((n, e) => n + Buffer.byteLength(e.content ?? "") + e.path.length, 0);
      expect(chunk.length === 1 || size <= 10_000).toBe(true);
    }
    expect(chunks.flat().length).toBe(report.added.length);
    expectRemoteEqualsLocal();
  });

  test("content-creating requests are paced mutationIntervalMs apart", async () => {
    await writeTree(out, treeEntries(state(444)));
    await publish(out, target(), { ...options(), mutationIntervalMs: 1000 });
    // 3 createTree + createCommit + updateRef: the first goes at once, each next one waits 1 s.
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
  });

  test("no change: no request that writes anything, no commit", async () => {
    await writeTree(out, treeEntries(state(30)));
    await publish(out, target(), options());
    const head = fake.refs.get("heads/main");
    fake.calls.length = 0;
    const report = await publish(out, target(), options());
    expect(report.commit).toBeUndefined();
    expect(report.unchanged).toBe(36);
    expect(posts()).toEqual([]);
    expect(fake.refs.get("heads/main")).toBe(head);
  });

  test("changes and deletions (sha: null) in one commit; unchanged files are not sent", async () => {
    await writeTree(out, treeEntries(state(30)));
    await publish(out, target(), options());
    await writeTree(out, treeEntries(state(30, [7], [3, 4])));
    fake.calls.length = 0;
    const report = await publish(out, target(), options());
    expect(report.modified).toEqual([`data/${userProfilePath(7)}`, "data/indexes/users.json", "data/metadata.json"].sort());
    expect(report.deleted).toEqual([`data/${userProfilePath(3)}`, `data/${userProfilePath(4)}`]);
    const sent = (fake.calls.find((c) => c.path.endsWith("/git/trees"))!.body as { tree: Array<{ path: string; sha?: null }> }).tree;
    expect(sent.length).toBe(5);
    expect(sent.filter((e) => e.sha === null).map((e) => e.path)).toEqual(report.deleted);
    expectRemoteEqualsLocal();
  });

  test("a ref that moved (422 on updateRef) is rebuilt on the new head, never forced", async () => {
    await writeTree(out, treeEntries(state(10)));
    let raced = false;
    fake.beforeUpdateRef = () => {
      if (raced) return;
      raced = true;
      fake.pushDirect("main", { "csv/README.md": "csv\n" }, "someone else");
    };
    const report = await publish(out, target(), options());
    expect(report.attempts).toBe(2);
    expect(fake.calls.filter((c) => c.method === "PATCH").every((c) => (c.body as { force: boolean }).force === false)).toBe(true);
    const head = fake.commits.get(fake.refs.get("heads/main")!)!;
    expect(head.message).toBe("Auto-update: test");
    expect(fake.commits.get(head.parents[0]!)!.message).toBe("someone else");
    expect(fake.files().get("csv/README.md")).toBe("csv\n");
    expectRemoteEqualsLocal();
  });

  test("403 secondary rate limit with retry-after: waits that long, then succeeds", async () => {
    await writeTree(out, treeEntries(state(5)));
    fake.faults.push({
      method: "POST",
      path: "/git/trees",
      status: 403,
      headers: { "retry-after": "7" },
      message: "You have exceeded a secondary rate limit.",
    });
    const report = await publish(out, target(), options());
    expect(waits).toEqual([7000]);
    expect(report.commit).toBeDefined();
    expectRemoteEqualsLocal();
  });

  test("primary limit: waits until x-ratelimit-reset; 5xx backs off exponentially", async () => {
    await writeTree(out, treeEntries(state(5)));
    fake.faults.push({
      method: "GET",
      path: "/git/ref/",
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(clock / 1000 + 30) },
      message: "API rate limit exceeded",
    });
    fake.faults.push({ method: "POST", path: "/git/commits", status: 502, times: 2 });
    const report = await publish(out, target(), options());
    expect(waits).toEqual([31_000, 1000, 2000]);
    expect(report.commit).toBeDefined();
  });

  test("bounded retries: a limit that does not go away fails typed, nothing committed", async () => {
    await writeTree(out, treeEntries(state(5)));
    const head = fake.refs.get("heads/main");
    fake.faults.push({ method: "POST", path: "/git/trees", status: 429, headers: { "retry-after": "1" }, times: 100 });
    const err = await publish(out, target(), { ...options(), maxRetries: 3 }).catch((e: unknown) => e);
    expect((err as ExporterError).code).toBe("rate_limited");
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(fake.refs.get("heads/main")).toBe(head);
  });

  test("a permission 403 without rate-limit signs is not retried", async () => {
    await writeTree(out, treeEntries(state(5)));
    fake.faults.push({ method: "POST", path: "/git/trees", status: 403, message: "Resource not accessible by integration" });
    const err = await publish(out, target(), options()).catch((e: unknown) => e);
    expect((err as ExporterError).code).toBe("github_failed");
    expect(waits).toEqual([]);
  });

  test("files over the size limit are refused before any upload", async () => {
    await writeTree(out, treeEntries(state(5)));
    const err = await publish(out, target(), { ...options(), maxFileBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExporterError);
    expect((err as ExporterError).code).toBe("file_too_large");
    expect(posts()).toEqual([]);
  });

  test("dry run returns the change set and writes nothing", async () => {
    await writeTree(out, treeEntries(state(5)));
    const report = await publish(out, target(), { ...options(), dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.added.length).toBe(11);
    expect(report.commit).toBeUndefined();
    expect(posts()).toEqual([]);
  });

  test("a truncated recursive listing is walked per directory", async () => {
    await writeTree(out, treeEntries(state(40)));
    await publish(out, target(), options());
    fake.recursiveLimit = 10;
    fake.calls.length = 0;
    const report = await publish(out, target(), options());
    expect(report.commit).toBeUndefined();
    expect(report.unchanged).toBe(46);
    expect(fake.calls.filter((c) => c.path.includes("/git/trees/") && !c.path.includes("recursive")).length).toBeGreaterThan(2);
  });

  test("an empty repository gets its first commit through createRef", async () => {
    fake.refs.clear();
    await writeTree(out, treeEntries(state(3)));
    const report = await publish(out, target(), { ...options(), prefix: "" });
    expect(report.commit).toBeDefined();
    expect(fake.commits.get(report.commit!)!.parents).toEqual([]);
    expect([...fake.files().keys()].sort()).toEqual([...snapshot(out).keys()].filter((p) => !p.startsWith(".")).sort());
  });

  test("unknown targets are typed errors", async () => {
    for (const bad of ["s3:bucket", "github:owner", "github:../x/y", "github:a/..", "git:", "git:--upload-pack=x"]) {
      const err = await publish(out, bad).catch((e: unknown) => e);
      expect((err as ExporterError).code).toBe("invalid_target");
    }
  });
});
