import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { ExporterError } from "../exporter-error.ts";
import { git } from "./_git.ts";
import { changeSet, isEmpty, type ChangeSet } from "./change-set.ts";
import { listLocalFiles, type LocalFile } from "./local-files.ts";
import { DEFAULT_AUTHOR, defaultMessage, type PublishOptions, type PublishReport } from "./publish-options.ts";
import { MiB, refuseLargeFiles } from "./size-limit.ts";

const ZERO = "0".repeat(40);

// Commits are built in a bare work repository with plumbing (read-tree, update-index,
// write-tree, commit-tree) on a private index file: no working tree, no checkout of hundreds of
// thousands of files, and rebuilding a commit on a new remote head is just doing it again.
// The export tree is the desired state of <prefix>/, so re-applying it on top of whatever the
// remote moved to is correct; a push is never forced.

/** A local path (not a URL nor scp-like host:path) made absolute, since git runs elsewhere. */
function normaliseRemote(remote: string): string {
  const looksRemote = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/\\]+@[^/\\]+:/.test(remote);
  return looksRemote || isAbsolute(remote) ? remote : resolve(remote);
}

async function ensureWorkRepo(dir: string): Promise<void> {
  if (existsSync(join(dir, "HEAD"))) return;
  await mkdir(dir, { recursive: true });
  await git(["init", "--bare", "--quiet", dir]);
}

/** Fetches the branch; returns the remote head, or undefined for a branch that does not exist. */
async function fetchHead(workDir: string, remote: string, branch: string): Promise<string | undefined> {
  const listed = await git(["ls-remote", "--heads", remote, `refs/heads/${branch}`], { cwd: workDir });
  if (listed.stdout.trim() === "") return undefined;
  const tracking = `refs/remotes/origin/${branch}`;
  await git(["fetch", "--quiet", "--no-tags", remote, `+refs/heads/${branch}:${tracking}`], { cwd: workDir });
  return (await git(["rev-parse", "--verify", `${tracking}^{commit}`], { cwd: workDir })).stdout.trim();
}

/** Blob ids of the files under prefix in commit head, by repository path. */
async function remoteFiles(workDir: string, head: string | undefined, prefix: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (head === undefined) return files;
  const args = ["ls-tree", "-r", "-z", "--full-tree", head];
  if (prefix !== "") args.push("--", prefix);
  const out = (await git(args, { cwd: workDir })).stdout;
  for (const record of out.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [, type, sha] = record.slice(0, tab).split(" ");
    if (type === "blob" && sha !== undefined) files.set(record.slice(tab + 1), sha);
  }
  return files;
}

async function buildCommit(
  workDir: string,
  head: string | undefined,
  changes: ChangeSet,
  local: Map<string, LocalFile>,
  prefix: string,
  message: string,
  author: { name: string; email: string },
): Promise<string> {
  const index = join(workDir, `publish-index-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(head === undefined ? ["read-tree", "--empty"] : ["read-tree", head], { cwd: workDir, env });
    const strip = (p: string) => (prefix === "" ? p : p.slice(prefix.length + 1));
    const changed = [...changes.added, ...changes.modified];
    if (changed.length > 0) {
      // Writes the blobs into the work repository; git's ids must equal ours.
      const abs = changed.map((p) => local.get(strip(p))!.abs);
      const written = (await git(["hash-object", "-w", "--no-filters", "--stdin-paths"], { cwd: workDir, stdin: abs.join("\n") + "\n" }))
        .stdout.trim()
        .split("\n");
      changed.forEach((p, i) => {
        if (written[i] !== local.get(strip(p))!.sha1) throw new Error(`blob id mismatch for ${p}`);
      });
    }
    const records = [
      ...changed.map((p) => `100644 ${local.get(strip(p))!.sha1}\t${p}\0`),
      ...changes.deleted.map((p) => `0 ${ZERO}\t${p}\0`),
    ];
    await git(["update-index", "-z", "--index-info"], { cwd: workDir, env, stdin: records.join("") });
    const tree = (await git(["write-tree"], { cwd: workDir, env })).stdout.trim();
    const identity = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    };
    const parents = head === undefined ? [] : ["-p", head];
    return (await git(["commit-tree", tree, ...parents], { cwd: workDir, env: identity, stdin: `${message}\n` })).stdout.trim();
  } finally {
    await rm(index, { force: true });
  }
}

function isRejectedPush(stderr: string): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|stale info|\[remote rejected\].*(cannot lock ref|failed to update ref)/i.test(stderr);
}

/** Publishes the export tree at fromDir into <prefix>/ of branch of any git remote. */
export async function publishToGit(fromDir: string, remoteSpec: string, options: PublishOptions = {}): Promise<PublishReport> {
  const remote = normaliseRemote(remoteSpec);
  const branch = options.branch ?? "main";
  const prefix = options.prefix ?? "data";
  const maxAttempts = options.maxAttempts ?? 5;
  const workDir =
    options.workDir ?? join(tmpdir(), `osmn-publish-${createHash("sha1").update(remote).digest("hex").slice(0, 16)}`);
  await ensureWorkRepo(workDir);
  const local = await listLocalFiles(fromDir);
  const message = options.message ?? defaultMessage(new Date());
  const author = options.author ?? DEFAULT_AUTHOR;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await fetchHead(workDir, remote, branch);
    const changes = changeSet(local, await remoteFiles(workDir, head, prefix), prefix);
    const report = { target: `git:${remoteSpec}`, ...changes, dryRun: options.dryRun === true, attempts: attempt };
    if (options.dryRun === true || isEmpty(changes)) return report;
    refuseLargeFiles(local, changes, prefix, options.maxFileBytes ?? 100 * MiB);
    const commit = await buildCommit(workDir, head, changes, local, prefix, message, author);
    await options.onBeforePush?.(attempt);
    // Never forced: no "+" in the refspec. A remote that moved rejects the push.
    const pushed = await git(["push", "--quiet", remote, `${commit}:refs/heads/${branch}`], {
      cwd: workDir,
      allowFailure: true,
    });
    if (pushed.code === 0) return { ...report, commit };
    if (!isRejectedPush(pushed.stderr)) {
      throw new ExporterError("git_failed", `git push failed: ${pushed.stderr.trim()}`, "check the remote and its credentials");
    }
  }
  throw new ExporterError(
    "push_conflict",
    `the remote branch ${branch} moved during each of ${maxAttempts} attempts`,
    "another publisher is pushing continuously; run again later",
  );
}

