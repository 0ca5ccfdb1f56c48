import type { Sql } from "postgres";
import { connectionErrorLine, withTimeout } from "../connection-error.ts";
import type { ReportBuilder } from "../report-builder.ts";
import type { Thresholds } from "../thresholds.ts";
import { durationText } from "../human-units.ts";

/**
 * `replica`: replay lag of READ_DATABASE_URL (exports and readers use it). A caught-up replica
 * of an idle primary has an old pg_last_xact_replay_timestamp, so equal receive and replay
 * positions count as no lag.
 */
export async function checkReplica(readSql: Sql<any>, thresholds: Thresholds, report: ReportBuilder, timeoutMs: number): Promise<void> {
  let row: { recovery: boolean; lag: number | null } | undefined;
  try {
    [row] = await withTimeout(
      readSql<{ recovery: boolean; lag: number | null }[]>`
        SELECT pg_is_in_recovery() AS recovery,
               CASE WHEN NOT pg_is_in_recovery() THEN NULL
                    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8 AS lag`,
      timeoutMs,
      "connecting to the read replica",
    );
  } catch (err) {
    report.check({ name: "replica", status: "critical", message: `read replica unreachable: ${connectionErrorLine(err)}` });
    return;
  }
  if (!row?.recovery) {
    report.check({ name: "replica", status: "ok", message: "READ_DATABASE_URL is not in recovery (a primary or the same server): no replay lag to measure" });
    return;
  }
  const lag = Math.max(0, row.lag ?? 0);
  report.metric("osm_notes_analytics_replica_lag_seconds", "Replay lag of the read replica, seconds", lag);
  report.level("replica", lag, thresholds.replicaLagSeconds, `read replica replays ${durationText(lag)} behind the primary`);
}

/** Lag of each standby as the primary sees it (pg_stat_replication; needs pg_monitor for the values). */
export async function replicationMetrics(sql: Sql<any>, report: ReportBuilder): Promise<void> {
  const rows = await sql<{ name: string; lag: number | null }[]>`
    SELECT coalesce(nullif(application_name, ''), client_addr::text, 'unknown') AS name,
           extract(epoch FROM replay_lag)::float8 AS lag
    FROM pg_stat_replication`;
  for (const r of rows)
    if (r.lag !== null)
      report.metric("osm_notes_analytics_replication_replay_lag_seconds", "Replay lag of each standby seen from the primary, seconds", r.lag, { standby: r.name });
}
