import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generate, type TestDatabase } from "@osm-notes/testkit";
import { EtlError } from "./etl-error.ts";
import { ETL_LOCK_KEY } from "./run-lock.ts";
import { runEtl } from "./run-etl.ts";
import { factsChecksum, freshDwh } from "./etl-test.fixture.ts";

const child = fileURLToPath(new URL("./etl-child.fixture.ts", import.meta.url));

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
}

/** Runs one ETL in a child process; `killAfter` sends SIGKILL when a line starting with it appears. */
function runChild(url: string, options: { killAfter?: string; wait?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve) => {
    const stopAt = options.killAfter?.replace(/^step /, "") ?? "";
    const proc = spawn(process.execPath, [child, url, String(options.wait ?? 0), stopAt], { stdio: ["ignore", "pipe", "inherit"] });
    const lines: string[] = [];
    let buffer = "";
    proc.stdout.on("data", (d) => {
      buffer += d;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (options.killAfter && line.startsWith(options.killAfter)) proc.kill("SIGKILL");
      }
    });
    proc.on("exit", (code, signal) => resolve({ code, signal, lines }));
  });
}

let clean: TestDatabase;
let killed: TestDatabase;
beforeAll(async () => {
  [clean, killed] = await Promise.all([freshDwh(), freshDwh()]);
  for (const db of [clean, killed]) await generate(db.sql, { notes: 15_000, seed: 3 });
  await runEtl(clean.sql);
}, 120_000);
afterAll(async () => {
  await Promise.all([clean.drop(), killed.drop()]);
});

describe("kill -9 at any point, then run again: the same dwh as an uninterrupted run", () => {
  test("killed while preparing a first load (before any fact is written)", async () => {
    const run = await runChild(killed.url, { killAfter: "step automation levels" });
    expect(run.signal).toBe("SIGKILL");
    expect(run.lines.some((l) => l.startsWith("done"))).toBe(false);
    // Nothing of the killed transaction is visible.
    const [state] = await killed.sql`SELECT (SELECT count(*)::int FROM dwh.facts) AS facts, (SELECT status FROM dwh.etl_runs ORDER BY run_id DESC LIMIT 1) AS status`;
    expect(state).toEqual({ facts: 0, status: "running" });
    // The server frees the dead session's lock once it notices the disconnect: wait for it,
    // as a cron run would.
    const again = await runEtl(killed.sql, { lock: { waitMs: 30_000 } });
    expect(again.mode).toBe("first");
    expect(await factsChecksum(killed.sql)).toEqual(await factsChecksum(clean.sql));
    const runs = await killed.sql`SELECT status, error FROM dwh.etl_runs ORDER BY run_id`;
    expect(runs.map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect(runs[0]!.error).toContain("interrupted");
  }, 120_000);

  test("killed between the phases of a parallel first load: facts committed, indexes not built", async () => {
    await killed.sql`TRUNCATE dwh.facts, dwh.fact_hashtags, dwh.note_current_status, dwh.etl_runs, dwh.etl_run_touched, dwh.etl_quarantine CASCADE`;
    const run = await runChild(killed.url, { killAfter: "step insert facts" });
    expect(run.signal).toBe("SIGKILL");
    const [state] = await killed.sql`
      SELECT (SELECT count(*)::int FROM dwh.facts) AS facts,
             (SELECT status FROM dwh.etl_runs ORDER BY run_id DESC LIMIT 1) AS status,
             (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'dwh' AND indexname = ANY (dwh.fact_index_names())) AS indexes`;
    // The child loads on two connections (pool of 4, one for the lock): the facts of both
    // note ranges are committed, the indexes dropped for the load are not rebuilt yet.
    expect(state!.status).toBe("running");
    expect(state!.facts).toBe((await clean.sql`SELECT count(*)::int AS n FROM dwh.facts`)[0]!.n);
    expect(state!.indexes).toBe(0);
    // No succeeded run: the next run starts the first load over, and ends complete.
    const again = await runEtl(killed.sql, { lock: { waitMs: 30_000 } });
    expect(again.mode).toBe("first");
    expect(await factsChecksum(killed.sql)).toEqual(await factsChecksum(clean.sql));
    const [rebuilt] = await killed.sql`
      SELECT count(*)::int AS n, cardinality(dwh.fact_index_names()) AS named
      FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'facts' AND indexname = ANY (dwh.fact_index_names())`;
    expect(rebuilt!.named).toBe(7);
    expect(rebuilt!.n).toBe(7);
  }, 120_000);

  test("killed after the load committed, before the run was logged as finished", async () => {
    await killed.sql`TRUNCATE dwh.facts, dwh.fact_hashtags, dwh.note_current_status, dwh.etl_runs, dwh.etl_run_touched, dwh.etl_quarantine CASCADE`;
    const run = await runChild(killed.url, { killAfter: "step validation" });
    expect(run.signal).toBe("SIGKILL");
    const [state] = await killed.sql`SELECT (SELECT count(*)::int FROM dwh.facts) AS facts, (SELECT status FROM dwh.etl_runs ORDER BY run_id DESC LIMIT 1) AS status`;
    expect(state!.status).toBe("running");
    expect(state!.facts).toBeGreaterThan(0);
    await runEtl(killed.sql, { lock: { waitMs: 30_000 } });
    expect(await factsChecksum(killed.sql)).toEqual(await factsChecksum(clean.sql));
  }, 120_000);
});

describe("never twice at once", () => {
  test("a run while another holds the lock fails with code 'locked' naming the holder; the child exits 75", async () => {
    const holder = await clean.sql.reserve();
    try {
      await holder`SELECT pg_advisory_lock(${ETL_LOCK_KEY})`;
      const error = await runEtl(clean.sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EtlError);
      expect((error as EtlError).code).toBe("locked");
      expect((error as EtlError).message).toMatch(/server pid \d+/);
      const run = await runChild(clean.url);
      expect(run.code).toBe(75);
      // waiting works too: release the lock while the child waits
      const waiting = runChild(clean.url, { wait: 30_000 });
      await Bun.sleep(300);
      await holder`SELECT pg_advisory_unlock(${ETL_LOCK_KEY})`;
      expect((await waiting).code).toBe(0);
    } finally {
      holder.release();
    }
  }, 60_000);

  test("two runs started together: exactly one loads", async () => {
    const db = await freshDwh();
    try {
      await generate(db.sql, { notes: 15_000, seed: 4 });
      const [a, b] = await Promise.all([runChild(db.url), runChild(db.url)]);
      const loaded = [a, b].map((r) => Number(r.lines.find((l) => l.startsWith("done"))?.split(" ")[1] ?? 0));
      // One loads everything; the other either found the lock taken (exit 75) or ran after it
      // and found nothing new (exit 0, no facts).
      expect(loaded.filter((n) => n > 0)).toHaveLength(1);
      for (const [i, run] of [a, b].entries()) {
        if (loaded[i] === 0) expect([0, 75]).toContain(run.code!);
        else expect(run.code).toBe(0);
      }
      const [facts] = await db.sql`SELECT count(*)::int AS n FROM dwh.facts`;
      expect(facts!.n).toBe(Math.max(...loaded));
    } finally {
      await db.drop();
    }
  }, 120_000);
});
