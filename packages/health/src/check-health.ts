import { classifyPgError } from "@osm-notes/dwh-sql";
import type { Sql } from "postgres";
import * as z from "zod";
import type { CheckContext } from "./check-context.ts";
import { checkReachable, checkSchema } from "./checks/database.ts";
import { checkDatamarts } from "./checks/datamarts.ts";
import { checkDatabaseSize } from "./checks/database-size.ts";
import { checkEtlRuns, checkQuarantine } from "./checks/etl-runs.ts";
import { checkPipelineRuns } from "./checks/pipeline-runs.ts";
import { checkExportDir, type ExportValidator } from "./checks/export-dir.ts";
import { checkFactsFreshness } from "./checks/facts-freshness.ts";
import { checkReplica, replicationMetrics } from "./checks/replica.ts";
import { checkValidation } from "./checks/validation.ts";
import { HealthError } from "./health-error.ts";
import { ReportBuilder } from "./report-builder.ts";
import type { HealthReport } from "./report.ts";
import { thresholdsSchema, type ThresholdsInput } from "./thresholds.ts";

export interface HealthOptions {
  /** Overrides of the default thresholds (see `thresholdsSchema`). */
  thresholds?: ThresholdsInput;
  /** The JSON export directory to check (OSMN_EXPORT_DIR); without it the export checks are skipped. */
  exportDir?: string;
  /** Extra validation of the export tree, e.g. the exporter's JSON Schema check. */
  validateExport?: ExportValidator;
  /** The read replica (READ_DATABASE_URL): its replay lag is checked. */
  readSql?: Sql<any>;
  /** Run the validation functions (default true; they scan facts, minutes on a planet-size dwh). */
  validation?: boolean;
  /** How long the first query may take before the database counts as unreachable (default 5000). */
  connectTimeoutMs?: number;
  /** Why `sql` is undefined (e.g. the embedded server did not start): the `database` check says it. */
  connectError?: unknown;
}

/**
 * Runs every check and returns the report; never throws for an unhealthy system (an unreachable
 * database, a missing table or a failing query are critical checks), only for bad options.
 */
export async function checkHealth(sql: Sql<any> | undefined, options: HealthOptions = {}): Promise<HealthReport> {
  const parsed = thresholdsSchema.safeParse(options.thresholds ?? {});
  if (!parsed.success)
    throw new HealthError("invalid_thresholds", `invalid health thresholds: ${z.prettifyError(parsed.error)}`,
      "pass only known threshold names with numbers, critical at least warning", parsed.error);
  const thresholds = parsed.data;
  const report = new ReportBuilder();
  const timeoutMs = options.connectTimeoutMs ?? 5000;

  const reachable = await checkReachable(sql, report, { timeoutMs, connectError: options.connectError });
  if (sql && reachable) {
    const ctx: CheckContext = { sql, thresholds, report };
    const hasSchema = await guarded(report, "schema", () => checkSchema(sql, report));
    if (hasSchema) {
      await guarded(report, "etl_runs", () => checkEtlRuns(ctx));
      await guarded(report, "quarantine", () => checkQuarantine(ctx));
      await guarded(report, "pipeline_runs", () => checkPipelineRuns(ctx));
      await guarded(report, "dwh_freshness", () => checkFactsFreshness(ctx));
      await guarded(report, "datamarts", () => checkDatamarts(ctx));
      await guarded(report, "database_size", () => checkDatabaseSize(ctx));
      if (options.validation !== false) await guarded(report, "validation", () => checkValidation(ctx));
      await guarded(report, "replication", () => replicationMetrics(sql, report));
    }
  }
  if (options.readSql) await checkReplica(options.readSql, thresholds, report, timeoutMs);
  if (options.exportDir) {
    const exportDir = options.exportDir;
    await guarded(report, "export", () =>
      checkExportDir({ dir: exportDir, thresholds, report, now: new Date(), ...(options.validateExport ? { validate: options.validateExport } : {}) }));
  } else {
    report.check({ name: "export", status: "ok", message: "no export directory given (--export-dir or OSMN_EXPORT_DIR): export not checked" });
  }
  return report.build(new Date());
}

/**
 * Runs one check module; a query that fails (missing table, permission, timeout) becomes a
 * critical check with the server's one-line message and a hint, instead of aborting the report.
 */
async function guarded<T>(report: ReportBuilder, name: string, run: () => Promise<T>): Promise<T | false> {
  try {
    return await run();
  } catch (err) {
    const e = classifyPgError(err);
    const line = e.message.split("\n")[0];
    report.check({ name, status: "critical", message: `${name} check failed: ${line} (${e.hint})` });
    return false;
  }
}
