// The fake's object hashing must be git's, or the publisher tests would prove nothing.
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gitBlobId } from "../src/git-blob-id.ts";
import { FakeGitHub, gitObjectId } from "./fake-github.ts";
import { gitSync } from "./git-helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "fake-github-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  "a.txt": "hello\n",
  "dir/b.json": '{"username":"Đuro Jiří 🦄"}\n',
  "dir-x/c": "",
  "dir.y": "dot\n",
  "dir/sub/d.txt": "deep\n",
  "data/users/0/0/1/1.json": "{}\n",
};

test("blob ids equal git hash-object (fake and src/git-blob-id)", () => {
  for (const content of Object.values(files)) {
    const bytes = new TextEncoder().encode(content);
    const expected = gitSync(dir, ["hash-object", "--stdin"], content).trim();
    expect(gitObjectId("blob", bytes)).toBe(expected);
    expect(gitBlobId(bytes)).toBe(expected);
  }
});

test("tree ids equal git write-tree, including git's name ordering of dir / dir-x / dir.y", () => {
  const repo = join(dir, "repo");
  gitSync(dir, ["init", "--quiet", repo]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  gitSync(repo, ["add", "-A"]);
  const expected = gitSync(repo, ["write-tree"]).trim();
  expect(new FakeGitHub().treeOf(files)).toBe(expected);
});

test("commit ids equal git commit-tree", () => {
  const fake = new FakeGitHub();
  const tree = fake.treeOf(files);
  const author = { name: "Bot", email: "bot@example.org", date: "2026-01-01T00:00:00Z" };
  const first = fake.putCommit({ tree, parents: [], message: "first\n", author });
  const second = fake.putCommit({ tree, parents: [first], message: "second\n", author });
  const repo = join(dir, "repo");
  const env = ["-c", "user.name=x"];
  const run = (args: string[], input: string) =>
    Bun.spawnSync(["git", ...env, ...args], {
      cwd: repo,
      stdin: new Blob([input]),
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Bot",
        GIT_AUTHOR_EMAIL: "bot@example.org",
        GIT_COMMITTER_NAME: "Bot",
        GIT_COMMITTER_EMAIL: "bot@example.org",
        GIT_AUTHOR_DATE: "1767225600 +0000",
        GIT_COMMITTER_DATE: "1767225600 +0000",
      },
    }).stdout.toString().trim();
  expect(run(["commit-tree", tree], "first\n")).toBe(first);
  expect(run(["commit-tree", tree, "-p", first], "second\n")).toBe(second);
});
