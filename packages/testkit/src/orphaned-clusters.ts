import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A temporary cluster is stopped and removed by its process on exit, Ctrl-C or a failed test,
// but not when that process is killed outright (SIGKILL, a timeout, a closed pipe): the server
// keeps running and its directory (about 1 GB after a big test) stays. Each temporary cluster
// records its owner's pid; the next start of any cluster stops and removes the clusters whose
// owner is gone (found on this machine: 29 servers, 30 GB, a disk 87 % full).

export const CLUSTER_PREFIX = "osmn-pg-";
const OWNER_FILE = "owner.pid";

export function recordOwner(root: string): void {
  writeFileSync(join(root, OWNER_FILE), `${process.pid}\n`);
}

/** Stops and removes the temporary clusters under `parent` whose owning process has died. */
export function reapOrphanedClusters(parent: string = tmpdir()): string[] {
  const reaped: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return reaped;
  }
  for (const name of names) {
    if (!name.startsWith(CLUSTER_PREFIX)) continue;
    const root = join(parent, name);
    const owner = readPid(join(root, OWNER_FILE));
    // No owner file: being created right now, or not ours. Left alone.
    if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
    const postmaster = readPid(join(root, "data", "postmaster.pid"));
    if (postmaster !== undefined && isAlive(postmaster)) {
      try {
        process.kill(postmaster, "SIGQUIT"); // immediate shutdown: nothing there is worth keeping
      } catch {
        // gone meanwhile
      }
      waitUntilDead(postmaster, 5_000);
    }
    rmSync(root, { recursive: true, force: true });
    reaped.push(root);
  }
  return reaped;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]!.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

function waitUntilDead(pid: number, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < until) Bun.sleepSync(20);
}
