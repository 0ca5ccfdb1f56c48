import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock } from "@osm-notes/etl";
import { appendActivity, connect, generate, type TestDatabase } from "@osm-notes/testkit";
import { acquirePipelineLock } from "./pipeline-lock.ts";
import { PipelineError } from "./pipeline-error.ts";
import { runPipeline } from "./run-pipeline.ts";
import { freshDwh, runCli } from "./pipeline-test.fixture.ts";

let db: TestDatabase;
let work: string;
beforeAll(async () => {
  db = await freshDwh();
  work = mkdtempSync(join(tmpdir(), "osmn-pipeline-"));
  await generate(db.sql, { notes: 1_500, seed: 11 });
}, 120_000);
afterAll(async () => {
  await db.drop();
  rmSync(work, { recursive: true, force: true });
});

const latestPipelineRun = async () =>
  (await db.sql<{ status: string; failed_step: string | null; etl_run_id: string | null }[]>`
    SELECT status, failed_step, etl_run_id FROM dwh.pipeline_runs ORDER BY run_id DESC LIMIT 1`)[0];

describe("runPipeline", () => {
  test("first run loads everything; the second, after new activity, is incremental and touches only the delta", async () => {
    const exportDir = join(work, "json");
    const first = await runPipeline(db.sql, { exportDir });
    expect(first.etl.mode).toBe("first");
    expect(first.export?.mode).toBe("full");
    const [counts] = await db.sql<{ facts: number; users: number }[]>`
      SELECT (SELECT count(*)::int FROM dwh.facts) AS facts, (SELECT count(*)::int FROM dwh.datamartusers) AS users`;
    const { facts, users } = counts!;
    expect(first.etl.factsInserted).toBe(facts);
    expect(first.datamarts.entities.users).toBe(users);
    const tree = realpathSync(exportDir);
    expect(JSON.parse(readFileSync(join(tree, "metadata.json"), "utf8"))).toHaveProperty("export_date");

    const added = await appendActivity(db.sql, { actions: 120, seed: 3 });
    expect(added).toBeGreaterThan(50);
    const second = await runPipeline(db.sql, { exportDir });
    expect(second.etl.mode).toBe("incremental");
    expect(second.etl.factsInserted).toBe(added);
    expect(second.datamarts.scope).toBe("touched");
    expect(second.datamarts.entities.users!).toBeGreaterThan(0);
    expect(second.datamarts.entities.users!).toBeLessThan(users / 2);
    expect(second.export?.mode).toBe("incremental");
    expect(second.export!.written).toBeLessThan(first.export!.written / 2);
    expect(second.summary).toMatch(/^Pipeline completed successfully in [\d.]+ seconds \(run \d+\); ETL incremental: \d+ facts inserted/);

    // Nothing new: the third run inserts nothing and rebuilds nothing but global.
    const third = await runPipeline(db.sql, { exportDir });
    expect(third.etl.factsInserted).toBe(0);
    expect(third.datamarts.entities.users ?? 0).toBe(0);
    expect(await latestPipelineRun()).toEqual({ status: "succeeded", failed_step: null, etl_run_id: String(third.etl.runId) });
  });

  test("publishes the exported tree as one commit; a failing publish leaves the remote as it was", async () => {
    const remote = join(work, "remote.git");
    spawnSync("git", ["init", "--bare", "--quiet", "--initial-branch=main", remote]);
    const git = (...args: string[]) => spawnSync("git", ["-C", remote, ...args], { encoding: "utf8" }).stdout.trim();
    const exportDir = join(work, "published-json");
    const first = await runPipeline(db.sql, { exportDir, publishTarget: `git:${remote}`, publishOptions: { workDir: join(work, "publish-work") } });
    expect(first.publish?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(first.publish!.added).toBe(first.export!.written);
    expect(git("rev-parse", "main")).toBe(first.publish!.commit!);
    expect(git("show", "main:data/metadata.json")).toBe(readFileSync(join(exportDir, "metadata.json"), "utf8").trim());

    const err = await runPipeline(db.sql, { exportDir, publishTarget: `git:${join(work, "no-such-remote.git")}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).step).toBe("publish");
    expect(git("rev-parse", "main")).toBe(first.publish!.commit!);
    expect(await latestPipelineRun()).toMatchObject({ status: "failed", failed_step: "publish" });
  });

  test("with a read pool (READ_DATABASE_URL), the export reads it and records on the primary", async () => {
    const reader = connect(db.url, { max: 2, applicationName: "osmn-test-reader" });
    try {
      const exportDir = join(work, "read-json");
      const report = await runPipeline(db.sql, { exportDir, readSql: reader, replicaWaitMs: 1_000 });
      expect(report.export?.mode).toBe("full");
      const [state] = await db.sql`SELECT mode FROM dwh.json_export_state`;
      expect(state!.mode).toBe("full");
      // The state describes this tree: the next run on it is incremental.
      expect((await runPipeline(db.sql, { exportDir, readSql: reader })).export?.mode).toBe("incremental");
    } finally {
      await reader.end({ timeout: 5 });
    }
  });

  test("a run while another holds the pipeline lock fails with code locked", async () => {
    const held = await acquirePipelineLock(db.sql);
    try {
      const err = await runPipeline(db.sql).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PipelineError);
      expect((err as PipelineError).code).toBe("locked");
    } finally {
      await held.release();
    }
  });
});

describe("run (CLI)", () => {
  test("exits 75 while another run holds the pipeline lock, and 0 once it is free", async () => {
    const exportDir = join(work, "cli-json");
    const held = await acquirePipelineLock(db.sql);
    let locked;
    try {
      locked = runCli(["run"], { DATABASE_URL: db.url, OSMN_EXPORT_DIR: exportDir });
    } finally {
      await held.release();
    }
    expect(locked.status).toBe(75);
    expect(locked.stdout).toBe("");
    expect(locked.stderr).toContain("Another pipeline run holds the lock");
    expect(locked.stderr).toContain("Pipeline skipped");
    expect(locked.stderr).not.toMatch(/error/i); // a skip is not an error for log watchers

    const ok = runCli(["run"], { DATABASE_URL: db.url, OSMN_EXPORT_DIR: exportDir });
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout) as { status: string; etl: { mode: string } };
    expect(report.status).toBe("succeeded");
    expect(ok.stderr).toContain("Pipeline completed successfully in");
  });

  test("exits 75 when a hand-started ETL holds the ETL lock (the ETL step never overlaps it)", async () => {
    const held = await acquireRunLock(db.sql);
    let result;
    try {
      result = runCli(["run"], { DATABASE_URL: db.url });
    } finally {
      await held.release();
    }
    expect(result.status).toBe(75);
    expect(result.stderr).toContain("ETL lock");
    expect((await latestPipelineRun())?.status).toBe("skipped");
  });

  test("a failing export step exits 1 and leaves the previous export untouched", async () => {
    const exportDir = join(work, "fail-json");
    const ok = runCli(["run"], { DATABASE_URL: db.url, OSMN_EXPORT_DIR: exportDir });
    expect(ok.status).toBe(0);
    const before = realpathSync(exportDir);
    const metadata = readFileSync(join(exportDir, "metadata.json"), "utf8");

    // A datamart row the export must refuse (NaN is not JSON), changed since the last export.
    await db.sql`UPDATE dwh.datamartusers SET avg_days_to_resolution = 'NaN', updated_at = now() AT TIME ZONE 'UTC'
                 WHERE user_id = (SELECT min(user_id) FROM dwh.datamartusers)`;
    try {
      const failed = runCli(["run"], { DATABASE_URL: db.url, OSMN_EXPORT_DIR: exportDir });
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain("Pipeline failed at step export");
      expect(realpathSync(exportDir)).toBe(before);
      expect(readFileSync(join(exportDir, "metadata.json"), "utf8")).toBe(metadata);
      expect(await latestPipelineRun()).toMatchObject({ status: "failed", failed_step: "export" });
    } finally {
      await db.sql`UPDATE dwh.datamartusers SET avg_days_to_resolution = NULL WHERE avg_days_to_resolution = 'NaN'`;
    }
  });
});
