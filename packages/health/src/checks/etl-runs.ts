import { type CheckContext, NOW_UTC } from "../check-context.ts";
import { durationText } from "../human-units.ts";

interface FinishedRun {
  run_id: number;
  mode: string;
  status: "succeeded" | "failed";
  error: string | null;
  facts_inserted: number;
  rows_quarantined: number;
  validation: unknown;
  duration_seconds: number | null;
  age_seconds: number | null;
}

interface RunningRun {
  run_id: number;
  mode: string;
  pid: number;
  running_seconds: number;
  session_alive: boolean;
}

/**
 * `etl_last_run`, `etl_last_success`, `etl_running` from dwh.etl_runs (the run log the ETL keeps;
 * dwh-etl §7.5). Ages are computed by the server so client clock and time zone do not matter.
 */
export async function checkEtlRuns({ sql, thresholds, report }: CheckContext): Promise<void> {
  const [last] = await sql.unsafe<FinishedRun[]>(`
    SELECT run_id::int, mode, status, error, facts_inserted::float8, rows_quarantined::float8, validation,
           extract(epoch FROM finished_at - started_at)::float8 AS duration_seconds,
           extract(epoch FROM ${NOW_UTC} - coalesce(finished_at, started_at))::float8 AS age_seconds
    FROM dwh.etl_runs WHERE status <> 'running'
    ORDER BY started_at DESC, run_id DESC LIMIT 1`);
  const [success] = await sql.unsafe<{ run_id: number; started_at: Date; age_seconds: number }[]>(`
    SELECT run_id::int, started_at, extract(epoch FROM ${NOW_UTC} - coalesce(finished_at, started_at))::float8 AS age_seconds
    FROM dwh.etl_runs WHERE status = 'succeeded'
    ORDER BY started_at DESC, run_id DESC LIMIT 1`);
  const [counts] = await sql.unsafe<{ failed_since_success: number; finished_24h: number; succeeded_24h: number }[]>(`
    SELECT count(*) FILTER (WHERE status = 'failed' AND run_id > coalesce(
             (SELECT max(run_id) FROM dwh.etl_runs WHERE status = 'succeeded'), 0))::int AS failed_since_success,
           count(*) FILTER (WHERE status <> 'running' AND started_at > ${NOW_UTC} - interval '24 hours')::int AS finished_24h,
           count(*) FILTER (WHERE status = 'succeeded' AND started_at > ${NOW_UTC} - interval '24 hours')::int AS succeeded_24h
    FROM dwh.etl_runs`);
  // A run row whose backend pid is gone was probably killed; said in the message only, because
  // the ETL may have written the row from a pooled connection that has since been replaced.
  const running = await sql.unsafe<RunningRun[]>(`
    SELECT run_id::int, mode, pid, extract(epoch FROM ${NOW_UTC} - started_at)::float8 AS running_seconds,
           EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.pid) AS session_alive
    FROM dwh.etl_runs r WHERE status = 'running' ORDER BY started_at`);

  // Last finished run: failed is critical (Monitoring's ETLExecutionFailed is critical too).
  if (last) {
    const facts = `${last.facts_inserted} facts, ${last.rows_quarantined} rows quarantined`;
    const took = last.duration_seconds === null ? "" : ` in ${durationText(last.duration_seconds)}`;
    if (last.status === "failed") {
      const error = (last.error ?? "no error text recorded").split("\n")[0]!.slice(0, 300);
      report.check({
        name: "etl_last_run",
        status: "critical",
        value: last.run_id,
        message: `last ETL run ${last.run_id} (${last.mode}) failed ${durationText(last.age_seconds ?? 0)} ago: ${error}`,
      });
    } else {
      report.check({ name: "etl_last_run", status: "ok", value: last.run_id, message: `last ETL run ${last.run_id} (${last.mode}) succeeded${took}: ${facts}` });
    }
    if (last.duration_seconds !== null)
      report.metric("analytics_etl_last_execution_duration_seconds", "Duration of the last finished ETL run, seconds", last.duration_seconds);
    report.metric("osm_notes_analytics_etl_last_run_succeeded", "1 when the last finished ETL run succeeded, 0 when it failed", last.status === "succeeded" ? 1 : 0);
    report.metric("osm_notes_analytics_etl_last_run_facts_inserted", "Facts inserted by the last finished ETL run", last.facts_inserted);
    report.metric("osm_notes_analytics_etl_last_run_rows_quarantined", "Rows quarantined by the last finished ETL run", last.rows_quarantined);
    etlValidationMetrics(last.validation, report);
  }

  if (success) {
    report.level("etl_last_success", success.age_seconds, thresholds.etlSuccessAgeSeconds,
      `last successful ETL run ${success.run_id} finished ${durationText(success.age_seconds)} ago`);
    report.metric("analytics_etl_execution_gap_seconds", "Seconds since the last successful ETL run finished", Math.max(0, success.age_seconds));
  } else {
    report.check({ name: "etl_last_success", status: "critical", message: "no successful ETL run recorded in dwh.etl_runs: run `osm-notes-analytics run` (or `etl`)" });
  }
  report.metric("analytics_etl_failed_executions", "Failed ETL runs since the last successful one", counts?.failed_since_success ?? 0);
  if (counts && counts.finished_24h > 0)
    report.metric("analytics_etl_execution_success_rate_percent", "Share of ETL runs of the last 24 h that succeeded, percent",
      (100 * counts.succeeded_24h) / counts.finished_24h);

  const oldest = running[0];
  report.metric("osm_notes_analytics_etl_runs_running", "ETL runs marked running in dwh.etl_runs", running.length);
  report.metric("osm_notes_analytics_etl_running_seconds", "Age of the oldest ETL run still marked running, seconds (0 when none)", oldest?.running_seconds ?? 0);
  if (!oldest) {
    report.check({ name: "etl_running", status: "ok", message: "no ETL run in progress" });
  } else {
    const session = oldest.session_alive ? "" : `; its session (pid ${oldest.pid}) is gone, so the process may have died`;
    const more = running.length > 1 ? ` (${running.length} runs marked running)` : "";
    report.level("etl_running", oldest.running_seconds, thresholds.etlRunningSeconds,
      `ETL run ${oldest.run_id} (${oldest.mode}) running for ${durationText(oldest.running_seconds)}${more}${session}`);
  }
}

/** The validation results the last run recorded: Monitoring's analytics_etl_validation_* gauges. */
function etlValidationMetrics(validation: unknown, report: CheckContext["report"]): void {
  if (!Array.isArray(validation)) return;
  const byCode = new Map<string, { failed: boolean; issues: number }>();
  for (const item of validation) {
    if (typeof item !== "object" || item === null) continue;
    const { check_name, status, issue_count } = item as Record<string, unknown>;
    const code = typeof check_name === "string" ? /^[A-Z]+-\d+/.exec(check_name)?.[0] : undefined;
    if (!code) continue;
    const entry = byCode.get(code) ?? { failed: false, issues: 0 };
    entry.failed ||= status === "FAIL";
    entry.issues += Number(issue_count) || 0;
    byCode.set(code, entry);
  }
  for (const [code, { failed, issues }] of byCode) {
    report.metric("analytics_etl_validation_status", "1 when the last ETL run's validation passed, 0 when it failed", failed ? 0 : 1, { component: "analytics", validation: code });
    report.metric("analytics_etl_validation_issues_total", "Issues found by the last ETL run's validation", issues, { component: "analytics", validation: code });
  }
}

/** `quarantine`: rejected base rows still waiting in dwh.etl_quarantine (dwh-etl §7.6). */
export async function checkQuarantine({ sql, thresholds, report }: CheckContext): Promise<void> {
  const rows = await sql.unsafe<{ reason: string; rejected: boolean; n: number }[]>(`
    SELECT reason, rejected, count(*)::float8 AS n FROM dwh.etl_quarantine
    WHERE resolved_at IS NULL GROUP BY reason, rejected ORDER BY reason, rejected`);
  let rejected = 0;
  let warned = 0;
  for (const r of rows) {
    report.metric("osm_notes_analytics_quarantine_rows", "Unresolved rows in dwh.etl_quarantine by reason (rejected: not loaded)", r.n,
      { reason: r.reason, rejected: String(r.rejected) });
    if (r.rejected) rejected += r.n;
    else warned += r.n;
  }
  const detail = rows.filter((r) => r.rejected).map((r) => `${r.reason} ${r.n}`).join(", ");
  report.level("quarantine", rejected, thresholds.quarantinedRows,
    `${rejected} rejected row(s) waiting in dwh.etl_quarantine${detail ? ` (${detail})` : ""}, ${warned} loaded with a warning`);
}
