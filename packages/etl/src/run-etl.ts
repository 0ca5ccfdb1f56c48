import type { Sql } from "postgres";
import { EtlError } from "./etl-error.ts";
import { acquireRunLock, type LockOptions } from "./run-lock.ts";
import { checkPreconditions } from "./preconditions.ts";
import { load, type LoadResult } from "./load.ts";
import { deltaLowerBound, failRun, finishRun, markInterruptedRuns, startRun, type RunMode, type StepRecord } from "./run-log.ts";

export interface EtlLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface EtlProgress {
  step: string;
  rows: number;
  seconds: number;
}

export interface RunEtlOptions {
  /** `auto` (default): first run when the facts are empty, else incremental. `full`: rebuild. */
  mode?: "auto" | "full";
  /** Base tables in another database; default: the dwh database itself. */
  ingestion?: Sql<{}>;
  /** Take the run lock (default); false when the caller already holds the pipeline lock. */
  lock?: boolean | LockOptions;
  /** Hours before the last watermark where an incremental delta starts (late commits). Default 48. */
  lookbackHours?: number;
  /**
   * work_mem of first and full loads, per connection (default 1GB: sized for a dedicated
   * server; a parallel first load has `connections` of them at once, 2 GB by default).
   */
  bulkWorkMem?: string;
  /** Run the validation functions at the end: default on first and full runs only (they scan everything). */
  validate?: boolean;
  /**
   * Connections a first load uses at once (default 2, one per core of a small server; capped
   * by the pool). 1 loads in one transaction, as incremental and full runs always do.
   */
  connections?: number;
  logger?: EtlLogger;
  onProgress?: (progress: EtlProgress) => void;
}

export interface ValidationRow {
  check_name: string;
  status: string;
  issue_count: number;
  details: string;
}

export interface EtlReport extends LoadResult {
  runId: number;
  mode: RunMode;
  seconds: number;
  steps: Record<string, StepRecord>;
  validation: ValidationRow[] | null;
}

const silent: EtlLogger = { info() {}, warn() {} };

/**
 * One ETL run (dwh-etl §7): lock, preconditions, then one transaction that stages the delta,
 * refreshes the dimensions, quarantines bad rows, inserts facts and recomputes the note-level
 * columns of the touched notes, and records what changed. A run killed at any point leaves
 * the dwh as it was before that transaction, and the next run redoes it: same end state.
 * A first load uses several connections in committed phases instead (see load.ts); killed,
 * it leaves no succeeded run, and the next run starts it over.
 */
export async function runEtl(dwh: Sql<{}>, options: RunEtlOptions = {}): Promise<EtlReport> {
  const logger = options.logger ?? silent;
  const ingestion = options.ingestion ?? dwh;
  const lookbackHours = options.lookbackHours ?? 48;
  const bulkWorkMem = options.bulkWorkMem ?? "1GB";
  if (!/^\d+\s*(kB|MB|GB)$/.test(bulkWorkMem)) {
    throw new EtlError("invalid_option", `bulkWorkMem must look like 512MB or 1GB, got ${bulkWorkMem}`, "Pass a PostgreSQL memory size.");
  }
  if (!Number.isFinite(lookbackHours) || lookbackHours < 0) {
    throw new EtlError("invalid_option", `lookbackHours must be ≥ 0, got ${lookbackHours}`, "Pass a number of hours.");
  }
  const connections = options.connections ?? 2;
  if (!Number.isInteger(connections) || connections < 1) {
    throw new EtlError("invalid_option", `connections must be a whole number ≥ 1, got ${connections}`, "Pass 1 for a single-transaction load, 2 or more for a parallel first load.");
  }
  const poolSize = (dwh as unknown as { options?: { max?: number } }).options?.max ?? 10;
  if (options.lock !== false && poolSize < 2) {
    // The lock holds one connection for the whole run: with a pool of one, the run would wait on itself.
    throw new EtlError("invalid_option", `The dwh connection pool has ${poolSize} connection; the ETL needs at least 2`,
      "Create the postgres.js client with max: 2 or more.");
  }
  const lock = options.lock === false ? undefined : await acquireRunLock(dwh, options.lock === true ? {} : options.lock);
  try {
    await checkPreconditions(dwh, ingestion);
    const interrupted = await markInterruptedRuns(dwh);
    if (interrupted) logger.warn(`${interrupted} earlier run(s) had been interrupted; this run redoes their work`);
    const [state] = await dwh<{ facts: boolean; loaded: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM dwh.facts) AS facts, EXISTS (SELECT 1 FROM dwh.etl_runs WHERE status = 'succeeded') AS loaded`;
    // Facts without a succeeded run are what a killed first load left (a parallel one
    // commits in phases): the first load starts over.
    const mode: RunMode = options.mode === "full" ? "full" : state!.facts && state!.loaded ? "incremental" : "first";
    const runId = await startRun(dwh, mode);
    const started = performance.now();
    const steps: Record<string, StepRecord> = {};
    try {
      const since = mode === "incremental" ? await deltaLowerBound(dwh, lookbackHours) : null;
      // The lock keeps one pooled connection for itself.
      const usable = Math.max(1, Math.min(connections, poolSize - (lock ? 1 : 0)));
      const report = await load(dwh, ingestion, since, {
        runId, mode, bulkWorkMem, connections: usable, steps, logger, onProgress: options.onProgress,
      });
      const validating = performance.now();
      const validation = (options.validate ?? mode !== "incremental") ? await validate(dwh, logger) : null;
      if (validation) {
        steps.validation = { rows: validation.length, seconds: Math.round(performance.now() - validating) / 1000 };
        options.onProgress?.({ step: "validation", ...steps.validation });
      }
      await finishRun(dwh, runId, { steps, validation, warnings: report.warnings });
      const seconds = (performance.now() - started) / 1000;
      logger.info(`Inserted ${report.factsInserted} facts`, { runId, mode });
      logger.info(`ETL completed successfully in ${Math.round(seconds)} seconds`, { runId, mode, seconds });
      return { runId, mode, ...report, seconds, steps, validation };
    } catch (err) {
      await failRun(dwh, runId, err, steps).catch(() => {});
      throw err;
    }
  } finally {
    await lock?.release();
  }
}

async function validate(dwh: Sql<{}>, logger: EtlLogger): Promise<ValidationRow[]> {
  const rows = await dwh<ValidationRow[]>`
    SELECT check_name, status, issue_count::integer AS issue_count, details FROM dwh.validate_note_current_status()
    UNION ALL SELECT check_name, status, issue_count::integer, details FROM dwh.validate_comment_counts()
    UNION ALL SELECT check_name, status, issue_count::integer, details FROM dwh.validate_dwh_integrity()`;
  for (const r of rows) {
    const line = `${r.check_name} ${r.status} ${r.issue_count} issues`;
    if (r.status === "FAIL") logger.warn(line, { check: r.check_name, details: r.details });
    else logger.info(line, { check: r.check_name });
  }
  return [...rows];
}
