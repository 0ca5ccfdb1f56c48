/** Severity of one check and of the whole report; ordered ok < warning < critical. */
export type HealthStatus = "ok" | "warning" | "critical";

export interface Check {
  /** Stable machine name, e.g. `etl_last_run`; also the `check` label of the Prometheus status gauge. */
  name: string;
  status: HealthStatus;
  /** The measured value the status was decided on (seconds, bytes, rows, percent …). */
  value?: number;
  /** The threshold that was crossed, or the warning threshold when none was. */
  threshold?: number;
  /** One line for people. */
  message: string;
}

export interface Metric {
  /** Prometheus metric name. */
  name: string;
  help: string;
  value: number;
  labels?: Record<string, string>;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Check[];
  metrics: Metric[];
  /** ISO 8601 UTC. */
  generatedAt: string;
}

const RANK: Record<HealthStatus, number> = { ok: 0, warning: 1, critical: 2 };

export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = "ok";
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** Numeric severity (0 ok, 1 warning, 2 critical), also used as a gauge value. */
export function statusValue(status: HealthStatus): 0 | 1 | 2 {
  return RANK[status] as 0 | 1 | 2;
}

/**
 * Process exit code of a report: 0 ok, 1 warning, 2 critical (the Nagios convention that
 * Monitoring's cron scripts and systemd units understand).
 */
export function exitCodeFor(report: Pick<HealthReport, "status">): 0 | 1 | 2 {
  return statusValue(report.status);
}
