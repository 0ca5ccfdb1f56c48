import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { connect as netConnect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { connect } from "./connect.ts";
import { freePort, startPostgres, startPostgresOnPorts } from "./postgres-server.ts";
import { reapOrphanedClusters } from "./orphaned-clusters.ts";

const binDir = process.env.TEST_PG_BIN || undefined;
const fixture = fileURLToPath(new URL("./postgres-server.fixture.ts", import.meta.url));

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = netConnect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

/** Runs the fixture in a child process and returns what it reported and how it ended. */
function runChild(mode: "exit" | "throw" | "signal" | "kill", env: Record<string, string> = {}) {
  return new Promise<{ dataDir: string; port: number; code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, mode], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let out = "";
    let info: { dataDir: string; port: number } | undefined;
    child.stdout.on("data", (d) => {
      out += d;
      if (!info && out.includes("\n")) {
        info = JSON.parse(out.split("\n")[0]!);
        if (mode === "signal") child.kill("SIGTERM");
        if (mode === "kill") child.kill("SIGKILL");
      }
    });
    child.on("exit", (code) => (info ? resolve({ ...info, code }) : reject(new Error(`child reported nothing (exit ${code})`))));
  });
}

/** A port on 127.0.0.1 that another listener holds until blocker.close(). */
async function portTaken(): Promise<{ blocker: ReturnType<typeof createServer>; taken: number }> {
  const blocker = createServer();
  const taken = await new Promise<number>((resolve) =>
    blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
  );
  return { blocker, taken };
}

describe("ephemeral PostgreSQL", () => {
  test("a picked port another process took before the server bound it: started on the next one", async () => {
    const { blocker, taken } = await portTaken();
    const picked: number[] = [];
    const server = await startPostgresOnPorts(async () => {
      const port = picked.length === 0 ? taken : await freePort();
      picked.push(port);
      return port;
    }, { binDir });
    try {
      expect(picked).toHaveLength(2);
      expect(server.port).toBe(picked[1]!);
      const sql = connect(server.url, { max: 1 });
      const [row] = await sql`SELECT 1 AS one`;
      expect(row).toEqual({ one: 1 });
      await sql.end();
    } finally {
      await server.stop();
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(existsSync(server.dataDir)).toBe(false);
  }, 60_000);

  test("a port given by the caller and taken fails at once, with the server's reason", async () => {
    const { blocker, taken } = await portTaken();
    try {
      await expect(startPostgres({ binDir, port: taken })).rejects.toThrow("Address already in use");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  test("starts, answers in UTC, and stop() removes the cluster", async () => {
    const server = await startPostgres({ binDir });
    expect(server.version).toMatch(/^PostgreSQL 1[5-9]/);
    const sql = connect(server.url, { max: 1 });
    const [row] = await sql`SELECT current_setting('TimeZone') AS tz, now()::timestamp = (now() AT TIME ZONE 'UTC') AS utc`;
    expect(row).toEqual({ tz: "UTC", utc: true });
    await sql.end();
    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(await accepts(server.port)).toBe(false);
  }, 60_000);

  test("a process killed outright leaves its server behind; the reaper stops and removes it", async () => {
    // Its own temporary directory, so that no other test process reaps the cluster first.
    const parent = mkdtempSync(join(tmpdir(), "osmn-reaper-"));
    chmodSync(parent, 0o1777); // like /tmp: the server may run as another user (root → postgres)
    try {
      const { dataDir, port } = await runChild("kill", { TMPDIR: parent });
      expect(existsSync(dataDir)).toBe(true);
      expect(await accepts(port)).toBe(true);
      expect(reapOrphanedClusters(parent)).toEqual([dirname(dataDir)]);
      expect(existsSync(dataDir)).toBe(false);
      expect(await accepts(port)).toBe(false);
      // A live owner's cluster is never touched.
      const mine = await startPostgres({ binDir });
      try {
        expect(reapOrphanedClusters(dirname(dirname(mine.dataDir)))).not.toContain(dirname(mine.dataDir));
        expect(existsSync(mine.dataDir)).toBe(true);
      } finally {
        await mine.stop();
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 60_000);

  for (const mode of ["exit", "throw", "signal"] as const) {
    test(`a process that ends by ${mode} leaves no server and no files behind`, async () => {
      const { dataDir, port, code } = await runChild(mode);
      if (mode === "exit") expect(code).toBe(0);
      else expect(code).not.toBe(0);
      expect(existsSync(dataDir)).toBe(false);
      expect(await accepts(port)).toBe(false);
    }, 60_000);
  }
});
