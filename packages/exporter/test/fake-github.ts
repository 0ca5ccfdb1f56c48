// A local stand-in for the GitHub Git Data API endpoints the publisher uses, with real git
// object semantics: blobs, trees and commits are hashed exactly as git hashes them (checked
// against the git binary in fake-github.test.ts), refs move only by fast-forward unless forced
// (422 otherwise), and faults (403 + retry-after, …) can be injected per endpoint.
import type { Server } from "bun";

type Mode = "100644" | "100755" | "040000" | "120000";
interface TreeItem {
  mode: Mode;
  type: "blob" | "tree";
  sha: string;
}
interface CommitObject {
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
}
export interface Fault {
  method: string;
  /** Matches when the request path contains this text. */
  path: string;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  /** How many requests it answers (default 1). */
  times?: number;
}
export interface Call {
  method: string;
  path: string;
  body?: unknown;
}

const enc = new TextEncoder();

function sha1Hex(...parts: Uint8Array[]): string {
  const h = new Bun.CryptoHasher("sha1");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/** git's object id: sha1("<type> <length>\0" + body). */
export function gitObjectId(type: "blob" | "tree" | "commit", body: Uint8Array): string {
  return sha1Hex(enc.encode(`${type} ${body.byteLength}\0`), body);
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

/** git's tree body: entries sorted by name, a directory compared as "name/". */
export function treeBody(entries: Map<string, TreeItem>): Uint8Array {
  const key = (name: string, item: TreeItem) => (item.type === "tree" ? `${name}/` : name);
  const sorted = [...entries].sort(([a, ia], [b, ib]) => Buffer.compare(Buffer.from(key(a, ia)), Buffer.from(key(b, ib))));
  const parts: Uint8Array[] = [];
  for (const [name, item] of sorted) {
    parts.push(enc.encode(`${item.mode === "040000" ? "40000" : item.mode} ${name}\0`), hexToBytes(item.sha));
  }
  return Buffer.concat(parts);
}

/** git's commit body, with the author as committer (as GitHub does for API commits). */
export function commitBody(c: CommitObject): Uint8Array {
  const seconds = Math.floor(Date.parse(c.author.date) / 1000);
  const who = `${c.author.name} <${c.author.email}> ${seconds} +0000`;
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${who}`, `committer ${who}`];
  return enc.encode(`${lines.join("\n")}\n\n${c.message}`);
}

export class FakeGitHub {
  readonly blobs = new Map<string, Uint8Array>();
  readonly trees = new Map<string, Map<string, TreeItem>>();
  readonly commits = new Map<string, CommitObject>();
  readonly refs = new Map<string, string>();
  readonly calls: Call[] = [];
  readonly faults: Fault[] = [];
  /** Recursive listings above this many entries come back truncated (GitHub: 100 000). */
  recursiveLimit = 100_000;
  /** Runs before an updateRef is applied (to race another pusher). */
  beforeUpdateRef: (() => void) | undefined;
  private server: Server<undefined> | undefined;

  constructor(readonly owner = "OSM-Notes", readonly repo = "OSM-Notes-Data") {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.server!.port}`;
  }

  start(): this {
    this.server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => this.handle(req) });
    return this;
  }

  stop(): void {
    this.server?.stop(true);
  }

  countCalls(method: string, pathPart: string): number {
    return this.calls.filter((c) => c.method === method && c.path.includes(pathPart)).length;
  }

  putBlob(bytes: Uint8Array): string {
    const sha = gitObjectId("blob", bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: Map<string, TreeItem>): string {
    const sha = gitObjectId("tree", treeBody(entries));
    this.trees.set(sha, new Map(entries));
    return sha;
  }

  putCommit(c: CommitObject): string {
    const sha = gitObjectId("commit", commitBody(c));
    this.commits.set(sha, c);
    return sha;
  }

  /** Builds a tree from path → content, nested by "/". */
  treeOf(files: Record<string, string>): string {
    return this.applyToTree(undefined, Object.entries(files).map(([path, content]) => ({ path, content })));
  }

  /** Commits files on top of the branch head directly (another pusher). */
  pushDirect(branch: string, files: Record<string, string>, message: string): string {
    const head = this.refs.get(`heads/${branch}`);
    const base = head === undefined ? undefined : this.commits.get(head)!.tree;
    const tree = this.applyToTree(base, Object.entries(files).map(([path, content]) => ({ path, content })));
    const sha = this.putCommit({
      tree,
      parents: head === undefined ? [] : [head],
      message,
      author: { name: "Other", email: "other@example.org", date: "2026-01-01T00:00:00Z" },
    });
    this.refs.set(`heads/${branch}`, sha);
    return sha;
  }

  /** path → UTF-8 content of every file at the branch head. */
  files(branch = "main"): Map<string, string> {
    const out = new Map<string, string>();
    const head = this.refs.get(`heads/${branch}`);
    if (head === undefined) return out;
    const walk = (treeSha: string, base: string) => {
      for (const [name, item] of this.trees.get(treeSha)!) {
        if (item.type === "tree") walk(item.sha, `${base}${name}/`);
        else out.set(`${base}${name}`, new TextDecoder().decode(this.blobs.get(item.sha)!));
      }
    };
    walk(this.commits.get(head)!.tree, "");
    return out;
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** GitHub's createTree semantics on top of base: nested paths, content → blob, sha null → delete. */
  applyToTree(
    base: string | undefined,
    entries: Array<{ path: string; mode?: string; type?: string; sha?: string | null; content?: string }>,
  ): string {
    interface Dir {
      items: Map<string, TreeItem | Dir>;
    }
    const load = (sha: string | undefined): Dir => ({
      items: new Map(sha === undefined ? [] : [...this.trees.get(sha)!].map(([n, i]) => [n, i] as const)),
    });
    const isDir = (x: TreeItem | Dir): x is Dir => "items" in x;
    const root = load(base);
    const dirAt = (dir: Dir, name: string, create: boolean): Dir | undefined => {
      const item = dir.items.get(name);
      if (item === undefined) {
        if (!create) return undefined;
        const d: Dir = { items: new Map() };
        dir.items.set(name, d);
        return d;
      }
      if (isDir(item)) return item;
      if (item.type !== "tree") throw new HttpError(422, `${name} is not a directory`);
      const d = load(item.sha);
      dir.items.set(name, d);
      return d;
    };
    for (const e of entries) {
      const parts = e.path.split("/");
      const name = parts.pop()!;
      if (name === "" || parts.some((p) => p === "" || p === "." || p === "..")) throw new HttpError(422, `bad path ${e.path}`);
      let dir: Dir | undefined = root;
      for (const p of parts) {
        dir = dirAt(dir, p, e.sha !== null);
        if (dir === undefined) throw new HttpError(422, `GitRPC::BadObjectState: ${e.path} does not exist`);
      }
      if (e.sha === null) {
        if (!dir.items.delete(name)) throw new HttpError(422, `GitRPC::BadObjectState: ${e.path} does not exist`);
      } else if (e.content !== undefined) {
        dir.items.set(name, { mode: "100644", type: "blob", sha: this.putBlob(enc.encode(e.content)) });
      } else if (e.sha !== undefined) {
        if (!this.blobs.has(e.sha)) throw new HttpError(422, `unknown blob ${e.sha}`);
        dir.items.set(name, { mode: "100644", type: "blob", sha: e.sha });
      } else throw new HttpError(422, "entry needs content or sha");
    }
    const write = (dir: Dir): string | undefined => {
      const out = new Map<string, TreeItem>();
      for (const [n, item] of dir.items) {
        if (isDir(item)) {
          const sha = write(item);
          if (sha !== undefined) out.set(n, { mode: "040000", type: "tree", sha });
        } else out.set(n, item);
      }
      return out.size === 0 && dir !== root ? undefined : this.putTree(out);
    };
    return write(root)!;
  }

  private listing(sha: string, recursive: boolean) {
    const out: Array<{ path: string; mode: string; type: string; sha: string }> = [];
    const walk = (treeSha: string, base: string) => {
      for (const [name, item] of this.trees.get(treeSha)!) {
        out.push({ path: base + name, mode: item.mode, type: item.type, sha: item.sha });
        if (recursive && item.type === "tree") walk(item.sha, `${base}${name}/`);
      }
    };
    walk(sha, "");
    const truncated = recursive && out.length > this.recursiveLimit;
    return { sha, tree: truncated ? out.slice(0, this.recursiveLimit) : out, truncated };
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const body = req.method === "GET" ? undefined : ((await req.json()) as Record<string, unknown>);
    this.calls.push({ method: req.method, path: url.pathname + url.search, body });
    const fault = this.faults.find((f) => f.method === req.method && url.pathname.includes(f.path));
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return Response.json({ message: fault.message ?? "fault" }, { status: fault.status, headers: fault.headers });
    }
    try {
      return this.route(req.method, url, body ?? {});
    } catch (err) {
      if (err instanceof HttpError) return Response.json({ message: err.message }, { status: err.status });
      throw err;
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown>): Response {
    const prefix = `/repos/${this.owner}/${this.repo}/git/`;
    if (!url.pathname.startsWith(prefix)) throw new HttpError(404, "Not Found");
    const rest = decodeURIComponent(url.pathname.slice(prefix.length));
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^ref\/(.+)$/.exec(rest))) {
      const sha = this.refs.get(m[1]!);
      if (sha === undefined) throw new HttpError(404, "Not Found");
      return Response.json({ ref: `refs/${m[1]}`, object: { sha, type: "commit" } });
    }
    if (method === "PATCH" && (m = /^refs\/(.+)$/.exec(rest))) {
      const current = this.refs.get(m[1]!);
      if (current === undefined) throw new HttpError(422, "Reference does not exist");
      this.beforeUpdateRef?.();
      const now = this.refs.get(m[1]!)!;
      const sha = String(body.sha);
      if (!this.commits.has(sha)) throw new HttpError(422, "Object does not exist");
      if (body.force !== true && !this.isAncestor(now, sha)) throw new HttpError(422, "Update is not a fast forward");
      this.refs.set(m[1]!, sha);
      return Response.json({ ref: `refs/${m[1]}`, object: { sha, type: "commit" } });
    }
    if (method === "POST" && rest === "refs") {
      const ref = String(body.ref).replace(/^refs\//, "");
      if (this.refs.has(ref)) throw new HttpError(422, "Reference already exists");
      this.refs.set(ref, String(body.sha));
      return Response.json({ ref: `refs/${ref}`, object: { sha: body.sha, type: "commit" } }, { status: 201 });
    }
    if (method === "GET" && (m = /^commits\/([0-9a-f]{40})$/.exec(rest))) {
      const c = this.commits.get(m[1]!);
      if (c === undefined) throw new HttpError(404, "Not Found");
      return Response.json({ sha: m[1], tree: { sha: c.tree }, parents: c.parents.map((sha) => ({ sha })), message: c.message });
    }
    if (method === "POST" && rest === "commits") {
      const tree = String(body.tree);
      if (!this.trees.has(tree)) throw new HttpError(422, "Tree does not exist");
      const parents = (body.parents as string[]) ?? [];
      for (const p of parents) if (!this.commits.has(p)) throw new HttpError(422, "Parent does not exist");
      const author = body.author as { name: string; email: string; date?: string };
      const sha = this.putCommit({
        tree,
        parents,
        message: String(body.message),
        author: { name: author.name, email: author.email, date: author.date ?? "2026-01-01T00:00:00Z" },
      });
      return Response.json({ sha, tree: { sha: tree }, parents: parents.map((p) => ({ sha: p })) }, { status: 201 });
    }
    if (method === "GET" && (m = /^trees\/([0-9a-f]{40})$/.exec(rest))) {
      if (!this.trees.has(m[1]!)) throw new HttpError(404, "Not Found");
      return Response.json(this.listing(m[1]!, url.searchParams.has("recursive")));
    }
    if (method === "POST" && rest === "trees") {
      const base = body.base_tree === undefined ? undefined : String(body.base_tree);
      if (base !== undefined && !this.trees.has(base)) throw new HttpError(422, "base_tree does not exist");
      const sha = this.applyToTree(base, body.tree as Array<{ path: string; sha?: string | null; content?: string }>);
      return Response.json({ ...this.listing(sha, false) }, { status: 201 });
    }
    if (method === "POST" && rest === "blobs") {
      const bytes = body.encoding === "base64" ? Buffer.from(String(body.content), "base64") : enc.encode(String(body.content));
      return Response.json({ sha: this.putBlob(bytes) }, { status: 201 });
    }
    throw new HttpError(404, `Not Found: ${method} ${rest}`);
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
