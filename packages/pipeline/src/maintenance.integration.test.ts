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

/**
 * A dead row in `table` (made by `update`, which may go through its partitioned parent), with
 * autovacuum off for it, once the statistics maintenance reads show it: the updating backend
 * flushes them when asked (PostgreSQL 15+).
 */
async function markChanged(table: string, update: string): Promise<void> {
  await db.sql.unsafe(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  const conn = await db.sql.reserve();
  try {
    await conn.unsafe(update);
    await conn`SELECT pg_stat_force_next_flush()`;
    await conn`SELECT 1`;
  } finally {
    conn.release();
  }
  for (let waited = 0; ; waited += 100) {
    const [row] = await db.sql<{ dead: number }[]>`SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relid = ${table}::regclass`;
    if ((row?.dead ?? 0) > 0) return;
    if (waited > 20_000) throw new Error(`the statistics never showed the dead row of ${table}`);
    await Bun.sleep(100);
  }
}

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

    // One change each in a facts partition and in datamartusers, on tables autovacuum is told to
    // leave alone here: it could otherwise clean (or analyze) them first, and "vacuums what
    // changed" would depend on its timing (it did in CI).
    const [first] = await db.sql<{ partition: string; fact_id: string }[]>`
      SELECT tableoid::regclass::text AS partition, fact_id FROM dwh.facts ORDER BY fact_id LIMIT 1`;
    await markChanged(first!.partition, `UPDATE dwh.facts SET fact_id = fact_id WHERE fact_id = ${Number(first!.fact_id)}`);
    await markChanged("dwh.datamartusers", "UPDATE dwh.datamartusers SET updated_at = updated_at WHERE user_id = (SELECT min(user_id) FROM dwh.datamartusers)");

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
