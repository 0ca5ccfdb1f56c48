import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBinaries, type PostgresBinaries } from "./postgres-binaries.ts";
import { TestkitError } from "./testkit-error.ts";
import { CLUSTER_PREFIX, reapOrphanedClusters, recordOwner } from "./orphaned-clusters.ts";

export interface StartPostgresOptions {
  /** PostgreSQL bin directory; default: the embedded npm package's binaries. */
  binDir?: string;
  /** Cluster directory. Default: a new temporary one, removed on stop. */
  dataDir?: string;
  /** Keep `dataDir` on stop (default: keep only when `dataDir` was given). */
  persistent?: boolean;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  /**
   * Durability trade-offs for throw-away clusters (fsync off etc.). Default: on for
   * temporary clusters, off for persistent ones.
   */
  fast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly version: string;
  /** URL of another database of this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const live = new Set<() => void>();
let exitHooked = false;

/**
 * Starts a real PostgreSQL cluster (initdb on first use) listening on 127.0.0.1.
 * The cluster is stopped, and a temporary one removed, when `stop()` is called or the
 * process exits, also after a failed test or Ctrl-C.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  return startPostgresOnPorts(options.port !== undefined ? async () => options.port! : freePort, options);
}

/** Attempts at starting on a port picked free that another process took before the server bound it. */
const PORT_ATTEMPTS = 5;

/**
 * startPostgres with the port picker given. A picked port is only free when checked: another
 * process (a parallel test run, any outgoing connection's local port) can take it before the
 * server binds it. The server then exits at once; it is started again on another port. A port
 * given by the caller is tried once.
 */
export async function startPostgresOnPorts(pickPort: () => Promise<number>, options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bins = await findPostgresBinaries(options.binDir);
  const temporary = options.dataDir === undefined;
  const persistent = options.persistent ?? !temporary;
  if (temporary) reapOrphanedClusters();
  const root = options.dataDir ?? mkdtempSync(join(tmpdir(), CLUSTER_PREFIX));
  if (temporary) recordOwner(root);
  const dataDir = join(root, "data");
  const socketDir = join(root, "run");
  mkdirSync(socketDir, { recursive: true });
  if (bins.runAs) {
    chownSync(root, bins.runAs.uid, bins.runAs.gid);
    chownSync(socketDir, bins.runAs.uid, bins.runAs.gid);
  }
  if (!existsSync(join(dataDir, "PG_VERSION"))) initdb(bins, dataDir);

  const fast = options.fast ?? temporary;
  let port: number;
  let child: ChildProcess;
  let version: string;
  for (let attempt = 1; ; attempt++) {
    port = await pickPort();
    const settings: Record<string, string | number> = {
      listen_addresses: "127.0.0.1",
      port,
      unix_socket_directories: socketDir,
      TimeZone: "UTC",
      max_connections: 200,
      ...(fast ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
      ...options.settings,
    };
    const args = ["-D", dataDir, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
    child = spawn(bins.postgres, args, { ...spawnUser(bins), stdio: ["ignore", "pipe", "pipe"] });
    try {
      version = await waitUntilReady(child);
      break;
    } catch (err) {
      const clash = err instanceof TestkitError && err.message.includes("Address already in use");
      if (!clash || options.port !== undefined || attempt >= PORT_ATTEMPTS) {
        if (temporary) removeCluster(root);
        throw err;
      }
    }
  }

  const cleanup = () => {
    if (child.exitCode === null) {
      spawnSync(bins.pgCtl, ["stop", "-D", dataDir, "-m", "immediate", "-w"], { ...spawnUser(bins), stdio: "ignore" });
    }
    if (!persistent) removeCluster(root);
  };
  live.add(cleanup);
  hookExit();

  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url: urlFor("postgres"),
    port,
    dataDir,
    version,
    urlFor,
    async stop() {
      if (!live.delete(cleanup)) return;
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT"); // fast shutdown: disconnects clients, no recovery on next start
        await exited;
      }
      if (!persistent) removeCluster(root);
    },
  };
}

function spawnUser(bins: PostgresBinaries): { uid?: number; gid?: number } {
  return bins.runAs ? { uid: bins.runAs.uid, gid: bins.runAs.gid } : {};
}

function initdb(bins: PostgresBinaries, dataDir: string): void {
  const result = spawnSync(
    bins.initdb,
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
    { ...spawnUser(bins), encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new TestkitError("pg_start_failed", `initdb failed in ${dataDir}: ${result.stderr || result.error}`,
      "Check that the directory is empty and writable by the server user.");
  }
}

function waitUntilReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = "";
    let version = "";
    const timer = setTimeout(() => fail("did not become ready within 60 s"), 60_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new TestkitError("pg_start_failed", `PostgreSQL ${why}.\n${log.slice(-2000)}`,
        "Read the server log above; a port clash or a stale data directory are the usual causes."));
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      version ||= /starting (PostgreSQL [\d.]+)/.exec(log)?.[1] ?? "";
      if (log.includes("ready to accept connections")) {
        clearTimeout(timer);
        child.stderr?.off("data", onData);
        child.stderr?.resume(); // keep draining so the server never blocks on a full pipe
        child.stdout?.resume();
        child.off("exit", onExit);
        child.off("close", onClose);
        resolve(version);
      }
    };
    // The error is raised on "close", once the output is read to its end, so that it holds the
    // server's last lines (the bind error that tells a port clash, which is retried, above); on
    // "exit" the last lines may still be unread. A second after the exit at the latest, in case
    // a child process still holds the pipes open.
    let exitCode: number | null = null;
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const onClose = () => {
      clearTimeout(closeTimer);
      fail(`exited with code ${exitCode} while starting`);
    };
    const onExit = (code: number | null) => {
      exitCode = code;
      closeTimer = setTimeout(onClose, 1000);
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("close", onClose);
  });
}

/**
 * rm -rf of a stopped cluster, retried briefly in case the server's last processes are still
 * writing when the postmaster is gone (a throw inside an exit handler would leave the directory).
 */
function removeCluster(root: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(root, { recursive: true, force: true });
      return;
    } catch (err) {
      if (attempt >= 40) throw err;
      Bun.sleepSync(50);
    }
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const stopAll = () => {
    for (const cleanup of live) cleanup();
    live.clear();
  };
  process.once("exit", stopAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}
