import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { Octokit } from "@octokit/rest";
import { ExporterError } from "../exporter-error.ts";
import { changeSet, isEmpty, type ChangeSet } from "./change-set.ts";
import { withBackoff, type BackoffOptions } from "./github-backoff.ts";
import { listLocalFiles, type LocalFile } from "./local-files.ts";
import { DEFAULT_AUTHOR, defaultMessage, type PublishOptions, type PublishReport } from "./publish-options.ts";
import { MiB, refuseLargeFiles } from "./size-limit.ts";

// One commit per publish through the Git Data API: getRef → getCommit → remote listing →
// createTree (chunks of ≤ 200 entries and ≈ 2 MiB, content inline, deletions as sha: null, each chunk on
// top of the previous one) → createCommit → updateRef(force: false). No createBlob per file:
// GitHub's secondary limit allows 80 content-creating requests a minute, and big createTree
// bodies fail with 422 "input was too large" (conventions §2.6). A 422 on updateRef means the
// branch moved: the commit is rebuilt on the new head (the export tree is the desired state).

const MAX_CHUNK = 200;

type TreeEntryInput =
  | { path: string; mode: "100644"; type: "blob"; content: string }
  | { path: string; mode: "100644"; type: "blob"; sha: string | null };

interface Ctx {
  octokit: Octokit;
  owner: string;
  repo: string;
  backoff: BackoffOptions;
  /** Waits so that content-creating requests are at least mutationIntervalMs apart. */
  pace: () => Promise<void>;
}

function call<T>(ctx: Ctx, label: string, request: () => Promise<{ data: T }>): Promise<T> {
  return withBackoff(label, request, ctx.backoff).then((r) => r.data);
}

function status(err: unknown): number | undefined {
  return typeof err === "object" && err !== null ? (err as { status?: number }).status : undefined;
}

async function headOf(ctx: Ctx, branch: string): Promise<string | undefined> {
  try {
    const ref = await call(ctx, "getRef", () => ctx.octokit.rest.git.getRef({ owner: ctx.owner, repo: ctx.repo, ref: `heads/${branch}` }));
    return ref.object.sha;
  } catch (err) {
    // 404: no such branch; 409: an empty repository.
    if (status(err) === 404 || status(err) === 409) return undefined;
    throw err;
  }
}

/**
 * Blob ids under prefix in tree treeSha. Asks for a recursive listing first; GitHub truncates
 * it beyond 100 000 entries / 7 MB, and then this walks the sub-trees one directory at a time
 * (each again recursive first), so any size works with few requests when it fits.
 */
async function listBlobs(ctx: Ctx, treeSha: string, base: string, out: Map<string, string>): Promise<void> {
  const full = await call(ctx, "getTree", () =>
    ctx.octokit.rest.git.getTree({ owner: ctx.owner, repo: ctx.repo, tree_sha: treeSha, recursive: "1" }),
  );
  if (!full.truncated) {
    for (const e of full.tree) if (e.type === "blob" && e.path && e.sha) out.set(base + e.path, e.sha);
    return;
  }
  const top = await call(ctx, "getTree", () => ctx.octokit.rest.git.getTree({ owner: ctx.owner, repo: ctx.repo, tree_sha: treeSha }));
  for (const e of top.tree) {
    if (!e.path || !e.sha) continue;
    if (e.type === "blob") out.set(base + e.path, e.sha);
    else if (e.type === "tree") await listBlobs(ctx, e.sha, `${base}${e.path}/`, out);
  }
}

async function remoteFiles(ctx: Ctx, rootTree: string | undefined, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (rootTree === undefined) return out;
  let sha: string | undefined = rootTree;
  // Descend to the prefix directory one level at a time (non-recursive listings are small).
  for (const segment of prefix === "" ? [] : prefix.split("/")) {
    const level: { tree: Array<{ path?: string; type?: string; sha?: string }> } = await call(ctx, "getTree", () =>
      ctx.octokit.rest.git.getTree({ owner: ctx.owner, repo: ctx.repo, tree_sha: sha! }),
    );
    sha = level.tree.find((e) => e.path === segment && e.type === "tree")?.sha;
    if (sha === undefined) return out;
  }
  await listBlobs(ctx, sha, prefix === "" ? "" : `${prefix}/`, out);
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * createTree entries in chunks of at most maxEntries entries and about maxBytes of inline
 * content (one bigger file goes alone), reading each file only when its chunk is built, so a
 * first load of hundreds of thousands of files never sits in memory at once.
 */
async function* treeChunks(
  ctx: Ctx,
  changes: ChangeSet,
  local: Map<string, LocalFile>,
  prefix: string,
  limits: { maxEntries: number; maxBytes: number },
): AsyncIterable<TreeEntryInput[]> {
  const strip = (p: string) => (prefix === "" ? p : p.slice(prefix.length + 1));
  let chunk: TreeEntryInput[] = [];
  let bytes = 0;
  const add = function* (entry: TreeEntryInput, size: number): Iterable<TreeEntryInput[]> {
    if (chunk.length > 0 && (chunk.length >= limits.maxEntries || bytes + size > limits.maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  };
  for (const path of [...changes.added, ...changes.modified]) {
    const bytesOnDisk = await readFile(local.get(strip(path))!.abs);
    let content: string | undefined;
    try {
      content = utf8.decode(bytesOnDisk);
    } catch {
      content = undefined;
    }
    if (content !== undefined) {
      yield* add({ path, mode: "100644", type: "blob", content }, bytesOnDisk.byteLength + path.length);
    } else {
      // Not UTF-8 text: inline content would be re-encoded, so this one file goes as a blob.
      await ctx.pace();
      const blob = await call(ctx, "createBlob", () =>
        ctx.octokit.rest.git.createBlob({ owner: ctx.owner, repo: ctx.repo, content: bytesOnDisk.toString("base64"), encoding: "base64" }),
      );
      yield* add({ path, mode: "100644", type: "blob", sha: blob.sha }, path.length + 60);
    }
  }
  for (const path of changes.deleted) yield* add({ path, mode: "100644", type: "blob", sha: null }, path.length + 60);
  if (chunk.length > 0) yield chunk;
}

/** Publishes the export tree at fromDir into <prefix>/ of owner/repo through the Git Data API. */
export async function publishToGitHub(
  fromDir: string,
  repository: { owner: string; repo: string },
  options: PublishOptions = {},
): Promise<PublishReport> {
  const branch = options.branch ?? "main";
  const prefix = options.prefix ?? "data";
  const chunkSize = Math.min(options.treeChunkSize ?? MAX_CHUNK, MAX_CHUNK);
  const chunkBytes = options.treeChunkBytes ?? 2 * MiB;
  const interval = options.mutationIntervalMs ?? 1000;
  const sleepFn = options.sleep ?? ((ms: number) => sleep(ms));
  const now = options.now ?? Date.now;
  let lastMutation = Number.NEGATIVE_INFINITY;
  const maxAttempts = options.maxAttempts ?? 5;
  const ctx: Ctx = {
    octokit: new Octokit({
      auth: options.token,
      baseUrl: options.baseUrl,
      userAgent: "osm-notes-analytics-exporter",
      // Quiet: 4xx answers are expected (conflicts) and handled here.
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    }),
    owner: repository.owner,
    repo: repository.repo,
    backoff: { maxRetries: options.maxRetries ?? 5, maxWaitMs: options.maxWaitMs ?? 15 * 60_000, sleep: sleepFn, now },
    // GitHub asks for at least a second between content-creating requests (secondary limits:
    // 80 a minute); pacing up front is cheaper than being told to wait a minute.
    pace: async () => {
      const wait = lastMutation + interval - now();
      if (wait > 0) await sleepFn(wait);
      lastMutation = now();
    },
  };
  const local = await listLocalFiles(fromDir);
  const message = options.message ?? defaultMessage(new Date(ctx.backoff.now()));
  const author = options.author ?? DEFAULT_AUTHOR;
  const target = `github:${repository.owner}/${repository.repo}`;

  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const head = await headOf(ctx, branch);
      const baseTree =
        head === undefined
          ? undefined
          : (await call(ctx, "getCommit", () => ctx.octokit.rest.git.getCommit({ owner: ctx.owner, repo: ctx.repo, commit_sha: head }))).tree.sha;
      const changes = changeSet(local, await remoteFiles(ctx, baseTree, prefix), prefix);
      const report = { target, ...changes, dryRun: options.dryRun === true, attempts: attempt };
      if (options.dryRun === true || isEmpty(changes)) return report;
      refuseLargeFiles(local, changes, prefix, options.maxFileBytes ?? 40 * MiB);

      let tree = baseTree;
      for await (const chunk of treeChunks(ctx, changes, local, prefix, { maxEntries: chunkSize, maxBytes: chunkBytes })) {
        await ctx.pace();
        const created = await call(ctx, "createTree", () =>
          ctx.octokit.rest.git.createTree({
            owner: ctx.owner,
            repo: ctx.repo,
            tree: chunk,
            ...(tree === undefined ? {} : { base_tree: tree }),
          }),
        );
        tree = created.sha;
      }
      await ctx.pace();
      const commit = await call(ctx, "createCommit", () =>
        ctx.octokit.rest.git.createCommit({
          owner: ctx.owner,
          repo: ctx.repo,
          message,
          tree: tree!,
          parents: head === undefined ? [] : [head],
          author: { ...author, date: new Date(ctx.backoff.now()).toISOString() },
        }),
      );
      try {
        await ctx.pace();
        if (head === undefined) {
          await call(ctx, "createRef", () =>
            ctx.octokit.rest.git.createRef({ owner: ctx.owner, repo: ctx.repo, ref: `refs/heads/${branch}`, sha: commit.sha }),
          );
        } else {
          await call(ctx, "updateRef", () =>
            ctx.octokit.rest.git.updateRef({ owner: ctx.owner, repo: ctx.repo, ref: `heads/${branch}`, sha: commit.sha, force: false }),
          );
        }
        return { ...report, commit: commit.sha };
      } catch (err) {
        // 422: not a fast forward / the ref moved (or was created meanwhile): rebuild on it.
        if (status(err) !== 422) throw err;
      }
    }
  } catch (err) {
    if (err instanceof ExporterError) throw err;
    throw new ExporterError(
      "github_failed",
      `GitHub publish to ${repository.owner}/${repository.repo} failed: ${(err as Error).message}`,
      "check the token (contents:write), the repository name and the branch",
      err,
    );
  }
  throw new ExporterError(
    "push_conflict",
    `the branch ${branch} moved during each of ${maxAttempts} attempts`,
    "another publisher is pushing continuously; run again later",
  );
}
