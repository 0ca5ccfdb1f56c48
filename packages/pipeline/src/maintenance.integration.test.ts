import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendActivity, generate, type TestDatabase } from "@osm-notes/testkit";
import { maintenance } from "./maintenance.ts";
import { acquirePipelineLock } from "./pipeline-lock.ts";
import { PipelineError } from "./pipeline-error.ts";
import { runPipeline } from "./run-pipeline.ts";
import { freshDwh } from "./pipeline-test.fixture.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDwh();
  await generate(db.sql, { notes: 1_000, seed: 31 });
  await runPipeline(db.sql);
  await appendActivity(db.sql, { actions: 60, seed: 2 });
  await runPipeline(db.sql);
  await runPipeline(db.sql);
}, 120_000);
afterAll(() => db.drop());

describe("maintenance", () => {
  test("prunes old run records and resolved quarantine rows, never the watermark run; vacuums what changed", async () => {
    const runs = (await db.sql<{ run_id: string }[]>`SELECT run_id FROM dwh.etl_runs ORDER BY run_id`).map((r) => Number(r.run_id));
    expect(runs.length).toBe(3);
    // Everything is "old": only the latest successful run (the watermark) must survive.
    await db.sql`UPDATE dwh.etl_runs SET started_at = started_at - interval '200 days'`;
    await db.sql`UPDATE dwh.pipeline_runs SET started_at = started_at - interval '200 days' WHERE run_id < (SELECT max(run_id) FROM dwh.pipeline_runs)`;
    await db.sql`INSERT INTO dwh.etl_quarantine (reason, rejected, note_id, resolved_at) VALUES
                   ('orphan_action', true, 1, now() - interval '100 days'),
                   ('orphan_action', true, 2, now() - interval '10 days'),
                   ('orphan_action', true, 3, NULL)`;

    const report = await maintenance(db.sql, { runRetentionDays: 90, quarantineRetentionDays: 30 });
    expect(report.pruned).toEqual({ etlRuns: 2, pipelineRuns: 2, quarantine: 1 });
    const left = (await db.sql<{ run_id: string }[]>`SELECT run_id FROM dwh.etl_runs`).map((r) => Number(r.run_id));
    expect(left).toEqual([runs[2]!]);
    const [q] = await db.sql`SELECT count(*)::int AS n FROM dwh.etl_quarantine WHERE note_id IN (1, 2, 3)`;
    expect(q!.n).toBe(2);
    expect(report.vacuumed.map((v) => v.table)).toContain("datamartusers");
    expect(report.vacuumed.some((v) => v.table.startsWith("facts_"))).toBe(true);
    expect(report.analyzedParents).toContain("facts");
    expect(report.skipped).toEqual([]);

    // The pipeline still runs incrementally from the kept watermark.
    const next = await runPipeline(db.sql);
    expect(next.etl.mode).toBe("incremental");
    expect(next.etl.factsInserted).toBe(0);
  });

  test("waits for a running pipeline, then gives up with code locked", async () => {
    const held = await acquirePipelineLock(db.sql);
    try {
      const err = await maintenance(db.sql, { lockWaitMs: 200 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PipelineError);
      expect((err as PipelineError).code).toBe("locked");
    } finally {
      await held.release();
    }
  });
});
