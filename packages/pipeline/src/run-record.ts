import { hostname } from "node:os";
import type { Sql } from "postgres";
import { messageOf, type PipelineStep } from "./pipeline-error.ts";

// The pipeline's own run log (migration 0026, dwh.pipeline_runs). Written outside any step's
// transaction and committed at once, so a crash leaves a 'running' row that the next run (which
// then holds the lock, so nobody is alive) marks as interrupted.

export async function markInterruptedPipelineRuns(sql: Sql<any>): Promise<number> {
  const result = await sql`
    UPDATE dwh.pipeline_runs SET status = 'failed', finished_at = now() AT TIME ZONE 'UTC',
           error = coalesce(error, 'interrupted: the process ended before the run finished')
    WHERE status = 'running'`;
  return result.count;
}

export async function startPipelineRun(sql: Sql<any>, full: boolean): Promise<number> {
  const [row] = await sql<{ run_id: string }[]>`
    INSERT INTO dwh.pipeline_runs (full_refresh, host) VALUES (${full}, ${hostname()}) RETURNING run_id`;
  return Number(row!.run_id);
}

export async function finishPipelineRun(
  sql: Sql<any>,
  runId: number,
  fields: { status: "succeeded" | "failed" | "skipped"; etlRunId?: number; steps: Record<string, unknown>; failedStep?: PipelineStep; error?: unknown },
): Promise<void> {
  const error = fields.error === undefined ? null : messageOf(fields.error).slice(0, 4000);
  await sql`
    UPDATE dwh.pipeline_runs
    SET status = ${fields.status}, finished_at = now() AT TIME ZONE 'UTC', etl_run_id = ${fields.etlRunId ?? null},
        steps = ${sql.json(fields.steps as never)}, failed_step = ${fields.failedStep ?? null}, error = ${error}
    WHERE run_id = ${runId}`;
}
