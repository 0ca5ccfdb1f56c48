import * as z from "zod";

/** A level pair: a value strictly above `warning` warns, strictly above `critical` is critical. */
const level = (warning: number, critical: number) =>
  z
    .object({ warning: z.number().nonnegative(), critical: z.number().nonnegative() })
    .partial()
    .transform((v) => ({ warning: v.warning ?? warning, critical: v.critical ?? critical }))
    .refine((v) => v.critical >= v.warning, "critical must be at least warning")
    .default({ warning, critical });

const GB = 1024 ** 3;

/**
 * Thresholds of every check with their defaults; any subset can be overridden (the CLI parses
 * `--thresholds '{"etlSuccessAgeSeconds":{"warning":3600}}'` with this schema). Sources of the
 * defaults: consumers.md §(c) (OSM-Notes-Monitoring's monitoring.conf and Prometheus rules),
 * the 15-minute cron of datamarts-export.md §11.1; the rest are ours and say so.
 */
export const thresholdsSchema = z
  .object({
    /** Since the last successful ETL run finished. Monitoring: cron ETL last run > 1800 s;
     * critical after 2 h (eight missed 15-minute runs). */
    etlSuccessAgeSeconds: level(1800, 7200),
    /** A run still `running`: Monitoring warns on one run longer than 3600 s, maximum 7200 s. */
    etlRunningSeconds: level(3600, 7200),
    /** Newest action_at in dwh.facts: Monitoring's analytics_dwh_freshness_seconds rules (7200 / 14400). */
    dwhFreshnessSeconds: level(7200, 14400),
    /** Newest updated_at per datamart: Monitoring's datamart freshness rules (86400 / 172800). */
    datamartFreshnessSeconds: level(86400, 172800),
    /** Age of the export's metadata.json export_date: Monitoring warns on a JSON export older
     * than 86400 s; critical after two days (ours). */
    exportAgeSeconds: level(86400, 172800),
    /** Used space of the export filesystem, percent: Monitoring's disk rules (85 / 90). */
    diskUsagePercent: level(85, 90),
    /** pg_database_size: Monitoring warns over 100 GB; critical over 200 GB (ours). */
    databaseSizeBytes: level(100 * GB, 200 * GB),
    /** All fact partitions with indexes: Monitoring's analytics_db_facts_total_size_bytes > 50 GB;
     * critical over 100 GB (ours). */
    factsSizeBytes: level(50 * GB, 100 * GB),
    /** Issues of one FAIL row of a validation function: any FAIL warns (Monitoring:
     * analytics_etl_validation_issues_total > 0); critical above 100 issues (ours). */
    validationIssues: level(0, 100),
    /** DWH-003 facts whose dimension ids do not exist: Monitoring's orphaned facts rules (0 / 10). */
    orphanedFacts: level(0, 10),
    /** Rejected rows waiting in dwh.etl_quarantine (ours: orphans normally resolve on the next run). */
    quarantinedRows: level(1000, 100000),
    /** Replay lag of READ_DATABASE_URL (ours: exports read the replica every 15 minutes). */
    replicaLagSeconds: level(300, 1800),
  })
  .strict();

export type Thresholds = z.output<typeof thresholdsSchema>;
export type ThresholdsInput = z.input<typeof thresholdsSchema>;
export type Level = { warning: number; critical: number };

/** The defaults with `overrides` applied; throws a ZodError naming a bad key or value. */
export function resolveThresholds(overrides: ThresholdsInput = {}): Thresholds {
  return thresholdsSchema.parse(overrides);
}

/** Status of a measured value against a level (strictly above, like the Prometheus rules). */
export function levelStatus(value: number, lv: Level): "ok" | "warning" | "critical" {
  if (value > lv.critical) return "critical";
  if (value > lv.warning) return "warning";
  return "ok";
}
