import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendActivity, generate, type TestDatabase } from "@osm-notes/testkit";
import { runPipeline } from "./run-pipeline.ts";
import { cliMain, datamartRows, freshDwh } from "./pipeline-test.fixture.ts";

let killed: TestDatabase;
let clean: TestDatabase;
let work: string;
beforeAll(async () => {
  [killed, clean] = await Promise.all([freshDwh(), freshDwh()]);
  work = mkdtempSync(join(tmpdir(), "osmn-kill-"));
  for (const db of [killed, clean]) {
    await generate(db.sql, { notes: 1_000, seed: 41 });
    await runPipeline(db.sql, { exportDir: join(work, db.name) });
    await appendActivity(db.sql, { actions: 80, seed: 5 });
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([killed.drop(), clean.drop()]);
  rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI `run` and sends SIGKILL when a stderr line contains `killOn`. */
function runAndKill(url: string, exportDir: string, killOn: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliMain, "run"], {
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, OSMN_EXPORT_DIR: exportDir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.includes(killOn)) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => resolve({ signal, stderr }));
  });
}

describe("kill -9 in the middle of a run", () => {
  test("after the ETL, before the datamarts are built: the next run finishes the work, same datamarts as an uninterrupted run", async () => {
    const exportDir = join(work, killed.name);
    const metadataBefore = readFileSync(join(exportDir, "metadata.json"), "utf8");
    const run = await runAndKill(killed.url, exportDir, "ETL completed successfully");
    expect(run.signal).toBe("SIGKILL");
    // The lock died with the process; the export was not touched.
    expect(readFileSync(join(exportDir, "metadata.json"), "utf8")).toBe(metadataBefore);
    const [left] = await killed.sql`SELECT status FROM dwh.pipeline_runs ORDER BY run_id DESC LIMIT 1`;
    expect(left!.status).toBe("running");

    // The server frees the killed client's locks when its backend notices the closed socket: at
    // once when idle, after the running statement otherwise (client_connection_check_interval).
    const again = await runPipeline(killed.sql, { exportDir, lockWaitMs: 60_000 });
    expect(again.etl.factsInserted).toBe(0); // the killed run's ETL had committed
    expect(again.datamarts.entities.users!).toBeGreaterThan(0); // its touched users are built now
    const runs = await killed.sql<{ status: string; error: string | null }[]>`SELECT status, error FROM dwh.pipeline_runs ORDER BY run_id`;
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(runs[1]!.error).toContain("interrupted");

    await runPipeline(clean.sql, { exportDir: join(work, clean.name) });
    const strip = (rows: Record<string, unknown[]>) =>
      JSON.parse(JSON.stringify(rows, (k, v) => (k === "updated_at" || k === "exported_at" ? undefined : v)));
    expect(strip(await datamartRows(killed.sql))).toEqual(strip(await datamartRows(clean.sql)));
  });
});
