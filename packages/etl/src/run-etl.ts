import type { Sql, TransactionSql } from "postgres";
import { EtlError } from "./etl-error.ts";
import { acquireRunLock, type LockOptions } from "./run-lock.ts";
import { checkPreconditions } from "./preconditions.ts";
import { deltaLowerBound, failRun, finishRun, markInterruptedRuns, startRun, type RunMode, type StepRecord } from "./run-log.ts";
import { sqlFile } from "./sql-files.ts";
import { stageFromIngestion, stageSameDatabase } from "./stage.ts";

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
  /** work_mem of first and full loads (default 1GB: sized for a dedicated server). */
  bulkWorkMem?: string;
  /** Run the validation functions at the end: default on first and full runs only (they scan everything). */
  validate?: boolean;
  logger?: EtlLogger;
  onProgress?: (progress: EtlProgress) => void;
}

export interface ValidationRow {
  check_name: string;
  status: string;
  issue_count: number;
  details: string;
}

export interface EtlReport {
  runId: number;
  mode: RunMode;
  snapshot: number | null;
  factsInserted: number;
  factsUpdated: number;
  notesTouched: number;
  quarantined: number;
  warnings: Record<string, number>;
  watermark: string | null;
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
    const [facts] = await dwh<{ present: boolean }[]>`SELECT EXISTS (SELECT 1 FROM dwh.facts) AS present`;
    const hasFacts = facts!.present;
    const mode: RunMode = options.mode === "full" ? "full" : hasFacts ? "incremental" : "first";
    const runId = await startRun(dwh, mode);
    const started = performance.now();
    const steps: Record<string, StepRecord> = {};
    try {
      const report = await load(dwh, ingestion, { runId, mode, lookbackHours, steps, logger, onProgress: options.onProgress, bulkWorkMem });
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

interface LoadContext {
  runId: number;
  bulkWorkMem: string;
  mode: RunMode;
  lookbackHours: number;
  steps: Record<string, StepRecord>;
  logger: EtlLogger;
  onProgress?: (progress: EtlProgress) => void;
}

async function load(dwh: Sql<{}>, ingestion: Sql<{}>, ctx: LoadContext) {
  const bulk = ctx.mode !== "incremental";
  const step = async <T extends { count: number }>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    // Utility statements (ANALYZE, SELECT fn()) report no count: record 0, never null.
    const record = { rows: result.count ?? 0, seconds: Math.round(performance.now() - t0) / 1000 };
    ctx.steps[name] = record;
    ctx.onProgress?.({ step: name, ...record });
    return result;
  };

  const [snap] = await ingestion<{ snapshot: number | null }[]>`SELECT max(note_id) AS snapshot FROM public.notes`;
  const snapshot = snap?.snapshot ?? null;
  const since = bulk ? null : await deltaLowerBound(dwh, ctx.lookbackHours);

  return dwh.begin(async (tx: TransactionSql<{}>) => {
    // Sorts and hash joins of a bulk load over millions of rows stay in memory instead of
    // spilling to disk (measured superlinear at 1 M notes with 256 MB); this session only.
    await tx.unsafe(`SET LOCAL work_mem = '${bulk ? ctx.bulkWorkMem : "256MB"}'`);
    await tx`SET LOCAL maintenance_work_mem = '512MB'`;
    // The dwh is mostly in cache: with the default 4.0 the planner scans every fact instead
    // of probing the touched notes' index entries (measured: 2 s vs 0.3 s at 1 M notes).
    await tx`SET LOCAL random_page_cost = 1.1`;
    // A first run's facts are empty already, but a killed earlier attempt leaves their pages
    // behind (dead rows): TRUNCATE gives fresh, empty files and sizes the planner can trust
    // (measured: a rerun after a kill took minutes in the automation and experience steps).
    if (bulk) {
      await step("empty facts", () => tx`TRUNCATE dwh.facts, dwh.fact_hashtags, dwh.note_current_status`);
    }
    const params = { snapshot: snapshot ?? 0, since, allUsers: bulk };
    await step("stage delta", async () => {
      if (ingestion === dwh) await stageSameDatabase(tx, params);
      else await stageFromIngestion(tx, ingestion, params);
      const [n] = await tx<{ n: number }[]>`SELECT count(*)::integer AS n FROM staging.etl_actions`;
      return { count: n!.n };
    });
    const rejected = await step("quarantine rejected rows", () => tx.file(sqlFile("checks/reject"), [ctx.runId]));

    await step("calendar and partitions", () => tx.file(sqlFile("dims/ensure-calendar")));
    await step("dimension countries", () => tx.file(sqlFile("dims/countries")));
    await step("dimension users", async () => {
      const named = await tx.file(sqlFile("dims/users-name-found"));
      const renamed = await tx.file(sqlFile("dims/users-close-renamed"));
      const added = await tx.file(sqlFile("dims/users-insert"));
      // New rows of this transaction are invisible to autovacuum: the steps that join users
      // to facts need real statistics (a bulk load adds every user).
      if (bulk || added.count > 10_000) await tx`ANALYZE dwh.dimension_users`;
      return { count: named.count + renamed.count + added.count };
    });
    const warningRows = await step("quarantine warnings", () => tx.file(sqlFile("checks/warnings"), [ctx.runId]));
    await step("hashtags", async () => {
      await tx.file(sqlFile("dims/extract-hashtags"));
      await tx`ANALYZE etl_hashtags`; // temporary tables get no autovacuum statistics
      return tx.file(sqlFile("dims/hashtags"));
    });
    await step("applications", async () => {
      await tx.file(sqlFile("dims/classify-applications"));
      await tx`ANALYZE etl_apps`;
      return tx.file(sqlFile("dims/application-versions"));
    });
    await step("automation levels", async () => {
      await tx.file(sqlFile("facts/automation"), [bulk]);
      await tx`ANALYZE etl_automation`;
      const [n] = await tx<{ n: number }[]>`SELECT count(*)::integer AS n FROM etl_automation`;
      return { count: n!.n };
    });

    // A bulk load builds the fact indexes once at the end instead of row by row.
    if (bulk) await tx`SELECT dwh.drop_fact_indexes()`;
    await tx.file(sqlFile("facts/note-level-view"));
    // A bulk load starts from empty facts: nothing loaded to update.
    const updated = bulk ? { count: 0 } : await step("update loaded facts", () => tx.file(sqlFile("facts/update-note-level")));
    const [delta] = await tx<{ n: number }[]>`SELECT count(*)::integer AS n FROM staging.etl_actions`;
    const factsInserted = delta!.n;
    await step("insert facts", async () => {
      await tx.file(sqlFile("facts/insert"));
      return { count: factsInserted };
    });
    if (bulk) {
      await step("fact indexes", async () => (await tx`SELECT dwh.create_fact_indexes()`, { count: 0 }));
      // The next steps read the new facts: plan them on real statistics, not an empty table's.
      await step("analyze", () => tx.file(sqlFile("after/analyze")));
    }

    await step("note current status", () => tx.file(sqlFile("after/note-current-status"), [bulk]));
    if (!bulk) await step("touched entities", () => tx.file(sqlFile("after/touched"), [ctx.runId]));
    await step("experience levels", () => tx.file(sqlFile("after/experience"), [bulk]));
    if (!bulk) await tx.file(sqlFile("after/modified-flags"), [ctx.runId]);
    await tx.file(sqlFile("checks/resolve"), [ctx.runId]);

    const [summary] = await tx<{ notes: number; watermark: string | null; quarantined: number }[]>`
      SELECT (SELECT count(*)::integer FROM staging.etl_notes) AS notes,
             greatest((SELECT max(created_at) FROM staging.etl_actions),
                      (SELECT watermark FROM dwh.etl_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1))::text AS watermark,
             ${rejected.count}::integer AS quarantined`;
    const warnings: Record<string, number> = { rejected: rejected.count };
    for (const row of warningRows as unknown as { reason: string }[]) warnings[row.reason] = (warnings[row.reason] ?? 0) + 1;
    await tx`
      UPDATE dwh.etl_runs
      SET snapshot_max_note_id = ${snapshot}, watermark = ${summary!.watermark}::timestamp,
          facts_inserted = ${factsInserted}, notes_touched = ${summary!.notes}, rows_quarantined = ${rejected.count}
      WHERE run_id = ${ctx.runId}`;
    for (const [reason, n] of Object.entries(warnings)) if (n > 0) ctx.logger.warn(`${n} rows: ${reason.replace(/_/g, " ")}`, { reason, rows: n });
    return {
      snapshot,
      factsInserted,
      factsUpdated: updated.count,
      notesTouched: summary!.notes,
      quarantined: rejected.count,
      warnings,
      watermark: summary!.watermark,
    };
  });
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
