import { type CheckContext, NOW_UTC } from "../check-context.ts";
import { durationText } from "../human-units.ts";

interface LastPipelineRun {
  run_id: number;
  status: "succeeded" | "failed" | "skipped";
  failed_step: string | null;
  error: string | null;
  age_seconds: number;
}

/**
 * `pipeline_last_run` from dwh.pipeline_runs (the `run` command's record): a failed export or
 * publish leaves the ETL healthy but the published data behind, which only this shows. Skipped
 * runs (another held the lock) are normal under cron; they are counted, not judged. Databases
 * that never ran the pipeline (ETL and exports started by hand) have no rows: nothing to say.
 */
export async function checkPipelineRuns({ sql, report }: CheckContext): Promise<void> {
  const [table] = await sql.unsafe<{ present: boolean }[]>(`SELECT to_regclass('dwh.pipeline_runs') IS NOT NULL AS present`);
  if (!table?.present) return;
  const [last] = await sql.unsafe<LastPipelineRun[]>(`
    SELECT run_id::int, status, failed_step, error,
           extract(epoch FROM ${NOW_UTC} - coalesce(finished_at, started_at))::float8 AS age_seconds
    FROM dwh.pipeline_runs WHERE status IN ('succeeded', 'failed')
    ORDER BY run_id DESC LIMIT 1`);
  const [skipped] = await sql.unsafe<{ n: number }[]>(`
    SELECT count(*)::int AS n FROM dwh.pipeline_runs
    WHERE status = 'skipped' AND started_at > ${NOW_UTC} - interval '24 hours'`);
  report.metric("osm_notes_analytics_pipeline_skipped_runs_24h", "Pipeline runs skipped in the last 24 hours because another held the lock", skipped?.n ?? 0);
  if (!last) return;
  report.metric("osm_notes_analytics_pipeline_last_run_succeeded", "1 when the last finished pipeline run succeeded, 0 when it failed", last.status === "succeeded" ? 1 : 0);
  if (last.status === "failed") {
    const error = (last.error ?? "no error text recorded").split("\n")[0]!.slice(0, 300);
    report.check({
      name: "pipeline_last_run",
      status: "warning",
      value: last.run_id,
      message: `last pipeline run ${last.run_id} failed at ${last.failed_step ?? "an unknown step"} ${durationText(last.age_seconds)} ago: ${error}`,
    });
  } else {
    report.check({ name: "pipeline_last_run", status: "ok", value: last.run_id, message: `last pipeline run ${last.run_id} succeeded ${durationText(last.age_seconds)} ago` });
  }
}
