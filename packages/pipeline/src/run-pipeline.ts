import { buildDatamarts, type BuildReport } from "@osm-notes/datamarts";
import { EtlError, runEtl, type EtlReport } from "@osm-notes/etl";
import { exportJsonFromDatabase, publish, type JsonExportReport, type PublishOptions, type PublishReport } from "@osm-notes/exporter";
import type { Sql } from "postgres";
import { acquirePipelineLock } from "./pipeline-lock.ts";
import { hintOf, messageOf, PipelineError, type PipelineStep } from "./pipeline-error.ts";
import { waitForReplica } from "./replica-catch-up.ts";
import { finishPipelineRun, markInterruptedPipelineRuns, startPipelineRun } from "./run-record.ts";

export interface PipelineLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface PipelineProgress {
  step: PipelineStep;
  /** What happened inside the step, e.g. "insert facts" or "users family:history". */
  detail: string;
  rows: number;
  seconds: number;
}

export interface RunPipelineOptions {
  /** `run --full`: datamarts of every entity and a full JSON export (the ETL stays incremental). */
  full?: boolean;
  /** JSON export directory (OSMN_EXPORT_DIR); without it the export and publish steps are skipped. */
  exportDir?: string;
  /** `git:<url-or-path>` or `github:<owner>/<repo>` (OSMN_PUBLISH_TARGET); needs exportDir. */
  publishTarget?: string;
  /** Token of a github: target (GITHUB_TOKEN). */
  githubToken?: string;
  /** Other publisher options (branch, prefix, workDir, …). */
  publishOptions?: Omit<PublishOptions, "token" | "dryRun">;
  /** Base tables in another database (INGESTION_DATABASE_URL); default: the dwh database. */
  ingestion?: Sql<any>;
  /**
   * A streaming read replica (READ_DATABASE_URL) the export reads from; its bookkeeping is
   * written to `sql`. The run first waits for the replica to replay this run's datamarts.
   */
  readSql?: Sql<any>;
  /** How long to wait for the replica to catch up before reading the primary instead (default 120 000). */
  replicaWaitMs?: number;
  /** How long to wait for another pipeline run (and then for a hand-started ETL); default 0. */
  lockWaitMs?: number;
  /** Moment whose UTC day is "today" for datamarts and export (tests); default now. */
  asOf?: Date;
  logger?: PipelineLogger;
  onProgress?: (progress: PipelineProgress) => void;
}

export interface PipelineReport {
  runId: number;
  status: "succeeded";
  full: boolean;
  etl: Pick<EtlReport, "runId" | "mode" | "factsInserted" | "factsUpdated" | "notesTouched" | "quarantined" | "watermark" | "seconds">;
  datamarts: { scope: BuildReport["scope"]; today: string; entities: Record<string, number>; rowsWritten: number; seconds: number };
  export: Omit<JsonExportReport, "outDir"> & { outDir: string } | null;
  publish: (Pick<PublishReport, "target" | "commit" | "attempts"> & { added: number; modified: number; deleted: number; seconds: number }) | null;
  seconds: number;
  /** The one-line summary also logged at the end. */
  summary: string;
}

const silent: PipelineLogger = { info() {}, warn() {} };
const round = (s: number) => Math.round(s * 100) / 100;

/**
 * One run of the cron pipeline (design: Data flow): pipeline lock → ETL (under the ETL's own
 * lock too) → datamarts of the touched entities (+ global; every entity with `full`) →
 * JSON export (atomic swap; incremental unless `full`) → publish → run record → one summary line.
 *
 * Each step commits only when it succeeded and the next runs only then: a failed datamart build
 * changes nothing and stops before the export; a failed export leaves the previous tree in place
 * (the exporter swaps atomically) and nothing is published; a failed publish leaves the remote
 * as it was (one commit, non-forced). A run killed anywhere is finished by the next one.
 *
 * Throws PipelineError "locked" when another run holds the lock (the CLI exits 75), and
 * "step_failed" (with `step` and the package's error as `cause`) when a step failed (exit 1).
 */
export async function runPipeline(sql: Sql<any>, options: RunPipelineOptions = {}): Promise<PipelineReport> {
  const logger = options.logger ?? silent;
  const full = options.full === true;
  if (options.publishTarget !== undefined && options.exportDir === undefined)
    throw new PipelineError("invalid_option", "A publish target needs an export directory", "Set OSMN_EXPORT_DIR as well (the tree that gets published).");
  const poolSize = (sql as unknown as { options?: { max?: number } }).options?.max ?? 10;
  if (poolSize < 3)
    // One connection holds the pipeline lock, one the ETL lock, and the steps need one to work on.
    throw new PipelineError("invalid_option", `The connection pool has ${poolSize} connection(s); the pipeline needs at least 3`, "Create the postgres.js client with max: 3 or more.");

  const lock = await acquirePipelineLock(sql, { waitMs: options.lockWaitMs ?? 0 });
  const started = performance.now();
  const steps: Record<string, unknown> = {};
  let runId = 0;
  let etlRunId: number | undefined;
  let current: PipelineStep = "record";
  try {
    try {
      const interrupted = await markInterruptedPipelineRuns(sql);
      if (interrupted) logger.warn(`${interrupted} earlier pipeline run(s) had been interrupted; this run finishes their work`);
      runId = await startPipelineRun(sql, full);
    } catch (err) {
      throw new PipelineError("query_failed", `Cannot record the pipeline run: ${messageOf(err)}`,
        (err as { code?: string }).code === "42P01" ? "Run `migrate` first (dwh.pipeline_runs is missing)." : hintOf(err) ?? "Check the database.", err, "record");
    }
    const progress = (step: PipelineStep) => (detail: string, rows: number, seconds: number) =>
      // Some package steps report no row count (null): progress always carries numbers.
      options.onProgress?.({ step, detail, rows: Number(rows ?? 0) || 0, seconds: Number(seconds ?? 0) || 0 });

    current = "etl";
    const etl = await timed(steps, "etl", () =>
      runEtl(sql, {
        mode: "auto",
        ingestion: options.ingestion,
        lock: { waitMs: options.lockWaitMs ?? 0 },
        logger,
        onProgress: (p) => progress("etl")(p.step, p.rows, p.seconds),
      }),
    );
    etlRunId = etl.runId;
    Object.assign(steps.etl as object, { runId: etl.runId, mode: etl.mode, factsInserted: etl.factsInserted, notesTouched: etl.notesTouched });

    current = "datamarts";
    const marts = await timed(steps, "datamarts", () =>
      buildDatamarts(sql, {
        scope: full ? "all" : "touched",
        ...(options.asOf ? { asOf: options.asOf } : {}),
        onProgress: (p) => progress("datamarts")(`${p.datamart} ${p.step}`, p.rows, p.seconds),
      }),
    );
    const entities = Object.fromEntries(marts.datamarts.map((d) => [d.datamart, d.entities]));
    Object.assign(steps.datamarts as object, { scope: marts.scope, entities });

    let exported: JsonExportReport | null = null;
    if (options.exportDir !== undefined) {
      const outDir = options.exportDir;
      current = "export";
      const t0 = performance.now();
      let reader = options.readSql;
      if (reader !== undefined && !(await waitForReplica(sql, reader, options.replicaWaitMs ?? 120_000))) {
        logger.warn("The read replica did not replay this run's datamarts in time: exporting from the primary", { runId });
        reader = undefined;
      }
      exported = await timed(steps, "export", () =>
        exportJsonFromDatabase(reader ?? sql, {
          outDir,
          full,
          ...(reader ? { writeSql: sql } : {}),
          ...(options.asOf ? { asOf: options.asOf } : {}),
          onProgress: (documents) => progress("export")("documents", documents, (performance.now() - t0) / 1000),
        }),
      );
      Object.assign(steps.export as object, { mode: exported.mode, written: exported.written, deleted: exported.deleted });
    }

    let published: PipelineReport["publish"] = null;
    if (options.publishTarget !== undefined && exported !== null) {
      const target = options.publishTarget;
      const from = exported.versionDir; // the version directory: a later swap never touches it
      current = "publish";
      const t0 = performance.now();
      const p = await timed(steps, "publish", () =>
        publish(from, target, { ...options.publishOptions, ...(options.githubToken ? { token: options.githubToken } : {}) }),
      );
      published = {
        target: p.target, commit: p.commit, attempts: p.attempts,
        added: p.added.length, modified: p.modified.length, deleted: p.deleted.length,
        seconds: round((performance.now() - t0) / 1000),
      };
      Object.assign(steps.publish as object, { commit: p.commit ?? null });
    }

    current = "record";
    await finishPipelineRun(sql, runId, { status: "succeeded", etlRunId, steps });
    const seconds = round((performance.now() - started) / 1000);
    const report: PipelineReport = {
      runId,
      status: "succeeded",
      full,
      etl: {
        runId: etl.runId, mode: etl.mode, factsInserted: etl.factsInserted, factsUpdated: etl.factsUpdated,
        notesTouched: etl.notesTouched, quarantined: etl.quarantined, watermark: etl.watermark, seconds: round(etl.seconds),
      },
      datamarts: {
        scope: marts.scope, today: marts.today, entities,
        rowsWritten: marts.datamarts.reduce((n, d) => n + d.rowsWritten, 0), seconds: round(marts.seconds),
      },
      export: exported,
      publish: published,
      seconds,
      summary: "",
    };
    report.summary = summaryLine(report);
    logger.info(report.summary, { runId, seconds, etlMode: etl.mode, factsInserted: etl.factsInserted });
    return report;
  } catch (err) {
    const seconds = round((performance.now() - started) / 1000);
    const lockedEtl = err instanceof EtlError && err.code === "locked";
    if (runId > 0) {
      await finishPipelineRun(sql, runId, { status: lockedEtl ? "skipped" : "failed", etlRunId, steps, failedStep: current, error: err }).catch(() => {});
    }
    if (err instanceof PipelineError) throw err;
    if (lockedEtl) {
      throw new PipelineError("locked", `A hand-started ETL holds the ETL lock: ${err.message}`,
        "Nothing to do: the next pipeline run picks up its work.", err, "etl");
    }
    // Not logged here: the caller reports the thrown error once (the CLI as one error line).
    const line = `Pipeline failed at step ${current} after ${seconds} seconds (run ${runId}): ${messageOf(err)}`;
    throw new PipelineError("step_failed", line, hintOf(err) ?? "See the error above; the previous export and publish are untouched.", err, current);
  } finally {
    await lock.release().catch(() => {});
  }
}

/** Runs a step, recording its seconds in `steps[name]` (also when it fails). */
async function timed<T>(steps: Record<string, unknown>, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  steps[name] = {};
  try {
    return await work();
  } finally {
    (steps[name] as Record<string, unknown>).seconds = round((performance.now() - t0) / 1000);
  }
}

function summaryLine(r: PipelineReport): string {
  const e = r.export;
  const p = r.publish;
  return [
    `Pipeline completed successfully in ${r.seconds} seconds (run ${r.runId})`,
    `ETL ${r.etl.mode}: ${r.etl.factsInserted} facts inserted, ${r.etl.notesTouched} notes touched`,
    `datamarts ${r.datamarts.scope}: ${Object.entries(r.datamarts.entities).map(([k, n]) => `${n} ${k}`).join(", ")}`,
    e ? `export ${e.mode}: ${e.written} written, ${e.deleted} deleted` : "export: no directory",
    p ? `publish: ${p.commit ? `commit ${p.commit.slice(0, 12)}` : "nothing changed"}` : "publish: no target",
  ].join("; ");
}
