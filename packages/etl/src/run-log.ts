import type { Sql } from "postgres";
import { hostname } from "node:os";

export type RunMode = "first" | "incremental" | "full";

export interface StepRecord {
  rows: number;
  seconds: number;
}

/** Runs left 'running' by a process that died (we hold the lock, so none is alive). */
export async function markInterruptedRuns(sql: Sql<{}>): Promise<number> {
  const result = await sql`
    UPDATE dwh.etl_runs SET status = 'failed', finished_at = now() AT TIME ZONE 'UTC',
           error = coalesce(error, 'interrupted: the process ended before the run finished')
    WHERE status = 'running'`;
  return result.count;
}

/** Starts the run's log row (committed at once, so a crash leaves a trace). */
export async function startRun(sql: Sql<{}>, mode: RunMode): Promise<number> {
  const [row] = await sql<{ run_id: string }[]>`
    INSERT INTO dwh.etl_runs (mode, host) VALUES (${mode}, ${hostname()}) RETURNING run_id`;
  return Number(row!.run_id);
}

/**
 * Where the next incremental delta starts: the last successful run's watermark minus a safety
 * margin (late-committed ingestion rows), as timestamp text (no time-zone round trip).
 * NULL when no run succeeded yet: then the delta is everything not yet in facts.
 */
export async function deltaLowerBound(sql: Sql<{}>, lookbackHours: number): Promise<string | null> {
  const [row] = await sql<{ since: string | null }[]>`
    SELECT (watermark - make_interval(hours => ${lookbackHours}))::text AS since
    FROM dwh.etl_runs WHERE status = 'succeeded' AND watermark IS NOT NULL
    ORDER BY run_id DESC LIMIT 1`;
  return row?.since ?? null;
}

export async function finishRun(
  sql: Sql<{}>,
  runId: number,
  fields: { steps: Record<string, StepRecord>; validation: unknown; warnings: Record<string, number> },
): Promise<void> {
  await sql`
    UPDATE dwh.etl_runs
    SET status = 'succeeded', finished_at = now() AT TIME ZONE 'UTC',
        steps = ${sql.json(fields.steps as never)}, validation = ${sql.json((fields.validation ?? null) as never)},
        warnings = ${sql.json(fields.warnings as never)}
    WHERE run_id = ${runId}`;
}

export async function failRun(sql: Sql<{}>, runId: number, error: unknown, steps: Record<string, StepRecord>): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await sql`
    UPDATE dwh.etl_runs SET status = 'failed', finished_at = now() AT TIME ZONE 'UTC', error = ${message.slice(0, 4000)},
           steps = ${sql.json(steps as never)}
    WHERE run_id = ${runId}`;
}
