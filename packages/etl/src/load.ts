import type { Sql, TransactionSql } from "postgres";
import type { RunMode, StepRecord } from "./run-log.ts";
import { sqlFile } from "./sql-files.ts";
import { bulkStageParts, EVERY_NOTE, stageFromIngestion, stageSameDatabase, type NoteRange, type StageParams } from "./stage.ts";

export interface LoadLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface LoadContext {
  runId: number;
  mode: RunMode;
  bulkWorkMem: string;
  /** Connections a first load may use at once (1: everything in one transaction). */
  connections: number;
  steps: Record<string, StepRecord>;
  logger: LoadLogger;
  onProgress?: (progress: { step: string; rows: number; seconds: number }) => void;
}

export interface LoadResult {
  snapshot: number | null;
  factsInserted: number;
  factsUpdated: number;
  notesTouched: number;
  quarantined: number;
  warnings: Record<string, number>;
  watermark: string | null;
}

type Tx = TransactionSql<{}>;
type Step = <T extends { count: number }>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * The load of one run. Incremental and full runs are one transaction: a run killed at any
 * point leaves the dwh as it was, and the next run redoes it. A first load (empty warehouse,
 * nobody reads it yet) with two or more connections runs in phases of committed
 * transactions instead, so that both cores work (dwh-etl §7): a killed first load leaves a
 * partial warehouse without a succeeded run, and the next run starts the first load over.
 */
export async function load(dwh: Sql<{}>, ingestion: Sql<{}>, since: string | null, ctx: LoadContext): Promise<LoadResult> {
  const step = stepRecorder(ctx);
  const [snap] = await ingestion<{ snapshot: number | null }[]>`SELECT max(note_id) AS snapshot FROM public.notes`;
  const snapshot = snap?.snapshot ?? null;
  const params: StageParams = { snapshot: snapshot ?? 0, since, bulk: ctx.mode !== "incremental" };
  const source = ingestion === dwh ? null : ingestion;
  if (ctx.mode === "first" && ctx.connections >= 2) return loadFirstInPhases(dwh, source, params, snapshot, ctx, step);

  const bulk = ctx.mode !== "incremental";
  return dwh.begin(async (tx) => {
    await sessionSettings(tx, bulk, ctx);
    const prepared = await prepare(tx, source, params, bulk, ctx, step);
    // A bulk load builds the fact indexes once at the end instead of row by row.
    if (bulk) await tx`SELECT dwh.drop_fact_indexes()`;
    await tx.file(sqlFile("facts/note-level-view"));
    // A bulk load starts from empty facts: nothing loaded to update.
    const updated = bulk ? { count: 0 } : await step("update loaded facts", () => tx.file(sqlFile("facts/update-note-level")));
    const factsInserted = await stagedActions(tx);
    await step("insert facts", async () => {
      await tx.file(sqlFile("facts/insert"), EVERY_NOTE);
      return { count: factsInserted };
    });
    if (bulk) {
      await step("fact indexes", async () => (await tx`SELECT dwh.create_fact_indexes()`, { count: 0 }));
      // The next steps read the new facts: plan them on real statistics, not an empty table's.
      await step("analyze", () => tx.file(sqlFile("after/analyze")));
    }
    await step("note current status", () => noteCurrentStatus(tx, bulk));
    if (!bulk) await step("touched entities", () => tx.file(sqlFile("after/touched"), [ctx.runId]));
    await step("experience levels", () => tx.file(sqlFile("after/experience"), [bulk]));
    if (!bulk) await tx.file(sqlFile("after/modified-flags"), [ctx.runId]);
    return finish(tx, { snapshot, factsInserted, factsUpdated: updated.count, ...prepared }, ctx);
  });
}

/**
 * A first load on several connections, in committed transactions. 1: the delta staged in
 * parts side by side; one transaction quarantines rejected rows, fills the calendar,
 * countries and users and drops the fact indexes; the warnings, feature tables and
 * experience levels side by side. 2: the facts, one transaction per note range, ranges side
 * by side (every action of a note in one range). 3: current status, statistics and the index
 * builds side by side. 4: quarantine resolution and the run's summary.
 */
async function loadFirstInPhases(
  dwh: Sql<{}>, source: Sql<{}> | null, params: StageParams, snapshot: number | null, ctx: LoadContext, step: Step,
): Promise<LoadResult> {
  // Base tables here: the delta is staged in parts side by side, each committed (the staging
  // tables are the run's own work tables). From another database it streams in phase 1's transaction.
  if (!source) {
    await dwh.file(sqlFile("stage/truncate"));
    const ranges = await noteRanges(dwh, ctx.connections, "base");
    await step("stage delta", async () => {
      await runConcurrently(bulkStageParts(params, ranges).map((part) => () => inTransaction(dwh, ctx, part)), ctx.connections);
      await dwh.file(sqlFile("stage/analyze"));
      return { count: await stagedActions(dwh) };
    });
  }
  const rejected = await dwh.begin(async (tx) => {
    await sessionSettings(tx, true, ctx);
    const count = await stageAndDimensions(tx, source, params, true, ctx, step, !source);
    await tx`SELECT dwh.drop_fact_indexes()`;
    return count;
  });
  const warningRows: { reason: string }[] = [];
  // Experience levels of a bulk load come from the staged delta (see after/experience.sql).
  const experience: Feature = { name: "experience levels", run: (tx) => tx.file(sqlFile("after/experience"), [true]) };
  await runConcurrently([experience, ...features(true, ctx, warningRows)].map((feature) => () =>
    step(feature.name, () => inTransaction(dwh, ctx, feature.run))), ctx.connections);
  const prepared: Prepared = { rejected, warningRows };

  const factsInserted = await stagedActions(dwh);
  const ranges = await noteRanges(dwh, ctx.connections, "staged");
  await step("insert facts", async () => {
    await settleAll(ranges.map((range) => inTransaction(dwh, ctx, async (tx) => {
      await tx.file(sqlFile("facts/note-level-view"));
      await tx.file(sqlFile("facts/insert"), range);
    })));
    return { count: factsInserted };
  });

  // Longest first, so that the index builds fill in around the current status. The current
  // status is a full scan and sort whatever the statistics; ANALYZE goes before the index
  // builds, whose SHARE lock it would wait for (or block) otherwise.
  const indexSeconds: number[] = [];
  const [indexes] = await dwh<{ names: string[] }[]>`SELECT dwh.fact_index_names() AS names`;
  const tasks: (() => Promise<unknown>)[] = [
    () => step("note current status", () => inTransaction(dwh, ctx, (tx) => noteCurrentStatus(tx, true))),
    () => step("analyze", () => dwh.file(sqlFile("after/analyze"))),
    ...indexes!.names.map((name) => async () => {
      const t0 = performance.now();
      await inTransaction(dwh, ctx, (tx) => tx`SELECT dwh.create_fact_index(${name})`);
      indexSeconds.push((performance.now() - t0) / 1000);
    }),
  ];
  await runConcurrently(tasks, ctx.connections);
  // Built side by side: the step records their summed build time.
  recordStep(ctx, "fact indexes", { count: 0 }, indexSeconds.reduce((a, b) => a + b, 0));

  return dwh.begin(async (tx) => {
    await sessionSettings(tx, true, ctx);
    return finish(tx, { snapshot, factsInserted, factsUpdated: 0, ...prepared }, ctx);
  });
}

/**
 * Every note's current status from its facts (after/note-current-status.sql). A bulk load
 * refills the table from empty ("empty facts" truncated it): its secondary indexes are built
 * once after the insert instead of maintained row by row (migration 0043).
 */
async function noteCurrentStatus(tx: Tx, bulk: boolean): Promise<{ count: number }> {
  if (bulk) await tx`SELECT dwh.drop_status_indexes()`;
  const result = await tx.file(sqlFile("after/note-current-status"), [bulk]);
  if (bulk) await tx`SELECT dwh.create_status_indexes()`;
  return result;
}

interface Prepared {
  rejected: number;
  warningRows: { reason: string }[];
}

/**
 * Staging (unless `staged` already), quarantine of rejected rows, calendar, countries and
 * users: what every later step reads. `source`: the ingestion database when the base tables
 * live elsewhere, null when here.
 */
async function stageAndDimensions(
  tx: Tx, source: Sql<{}> | null, params: StageParams, bulk: boolean, ctx: LoadContext, step: Step, staged = false,
): Promise<number> {
  // A first run's facts are empty already, but a killed earlier attempt leaves their pages
  // behind (dead rows, or a partial parallel load): TRUNCATE gives fresh, empty files and
  // sizes the planner can trust (measured: a rerun after a kill took minutes in the
  // automation and experience steps).
  if (bulk) await step("empty facts", () => tx`TRUNCATE dwh.facts, dwh.fact_hashtags, dwh.note_current_status`);
  if (!staged) {
    await step("stage delta", async () => {
      if (source) await stageFromIngestion(tx, source, params);
      else await stageSameDatabase(tx, params);
      return { count: await stagedActions(tx) };
    });
  }
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
  return rejected.count;
}

interface Feature {
  name: string;
  run: (tx: Tx) => Promise<{ count: number }>;
}

/**
 * The quarantine warnings and the features the fact insert joins: independent of each other
 * once the delta is staged and the dimensions filled. Longest first. Their tables are filled
 * by the running transaction, so each gets statistics here (autovacuum cannot see them).
 */
function features(bulk: boolean, ctx: LoadContext, warningRows: { reason: string }[]): Feature[] {
  return [
    { name: "applications", run: async (tx) => {
      await tx.file(sqlFile("dims/classify-applications"));
      await tx`ANALYZE staging.etl_apps`;
      return tx.file(sqlFile("dims/application-versions"));
    } },
    { name: "automation levels", run: async (tx) => {
      const levels = await tx.file(sqlFile("facts/automation"), [bulk]);
      await tx`ANALYZE staging.etl_automation`;
      return levels;
    } },
    { name: "quarantine warnings", run: async (tx) => {
      const rows = await tx.file(sqlFile("checks/warnings"), [ctx.runId]);
      warningRows.push(...(rows as unknown as { reason: string }[]));
      return rows;
    } },
    { name: "hashtags", run: async (tx) => {
      await tx.file(sqlFile("dims/extract-hashtags"));
      await tx`ANALYZE staging.etl_hashtags`;
      return tx.file(sqlFile("dims/hashtags"));
    } },
  ];
}

/** Everything before the fact insert, in the transaction `tx`. */
async function prepare(tx: Tx, source: Sql<{}> | null, params: StageParams, bulk: boolean, ctx: LoadContext, step: Step): Promise<Prepared> {
  const rejected = await stageAndDimensions(tx, source, params, bulk, ctx, step);
  const warningRows: { reason: string }[] = [];
  for (const feature of features(bulk, ctx, warningRows)) await step(feature.name, () => feature.run(tx));
  return { rejected, warningRows };
}

/** Resolves quarantine rows the run fixed and writes its summary into its etl_runs row. */
async function finish(
  tx: Tx, loaded: Prepared & { snapshot: number | null; factsInserted: number; factsUpdated: number }, ctx: LoadContext,
): Promise<LoadResult> {
  await tx.file(sqlFile("checks/resolve"), [ctx.runId]);
  const [summary] = await tx<{ notes: number; watermark: string | null }[]>`
    SELECT (SELECT count(*)::integer FROM staging.etl_notes) AS notes,
           greatest((SELECT max(created_at) FROM staging.etl_actions),
                    (SELECT watermark FROM dwh.etl_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1))::text AS watermark`;
  const warnings: Record<string, number> = { rejected: loaded.rejected };
  for (const row of loaded.warningRows) warnings[row.reason] = (warnings[row.reason] ?? 0) + 1;
  await tx`
    UPDATE dwh.etl_runs
    SET snapshot_max_note_id = ${loaded.snapshot}, watermark = ${summary!.watermark}::timestamp,
        facts_inserted = ${loaded.factsInserted}, notes_touched = ${summary!.notes}, rows_quarantined = ${loaded.rejected}
    WHERE run_id = ${ctx.runId}`;
  for (const [reason, n] of Object.entries(warnings)) if (n > 0) ctx.logger.warn(`${n} rows: ${reason.replace(/_/g, " ")}`, { reason, rows: n });
  return {
    snapshot: loaded.snapshot,
    factsInserted: loaded.factsInserted,
    factsUpdated: loaded.factsUpdated,
    notesTouched: summary!.notes,
    quarantined: loaded.rejected,
    warnings,
    watermark: summary!.watermark,
  };
}

async function sessionSettings(tx: Tx, bulk: boolean, ctx: LoadContext): Promise<void> {
  // Sorts and hash joins of a bulk load over millions of rows stay in memory instead of
  // spilling to disk (measured superlinear at 1 M notes with 256 MB); this transaction only.
  await tx.unsafe(`SET LOCAL work_mem = '${bulk ? ctx.bulkWorkMem : "256MB"}'`);
  await tx`SET LOCAL maintenance_work_mem = '512MB'`;
  // The dwh is mostly in cache: with the default 4.0 the planner scans every fact instead
  // of probing the touched notes' index entries (measured: 2 s vs 0.3 s at 1 M notes).
  await tx`SET LOCAL random_page_cost = 1.1`;
  // The SQL files switch branches on parameters ($1 bulk, note ranges): a generic plan, which
  // a reused prepared statement may get after five runs, would keep every branch.
  await tx`SET LOCAL plan_cache_mode = force_custom_plan`;
}

function inTransaction<T>(dwh: Sql<{}>, ctx: LoadContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  return dwh.begin(async (tx) => {
    await sessionSettings(tx, true, ctx);
    return work(tx);
  }) as Promise<T>;
}

async function stagedActions(sql: Sql<{}> | Tx): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::integer AS n FROM staging.etl_actions`;
  return row!.n;
}

/**
 * `parts` ranges of note ids with about as many actions each (the staged ones, or the base
 * ones), covering every note. The cuts come from a sample of about 200 000 actions (sorting
 * them all costs a second); the table's size is the planner's estimate (0 if never analyzed:
 * then the whole table).
 */
async function noteRanges(dwh: Sql<{}>, parts: number, of: "staged" | "base"): Promise<NoteRange[]> {
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  const table = of === "staged" ? "staging.etl_actions" : "public.note_comments";
  const [size] = await dwh<{ rows: number }[]>`SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = ${table}::regclass`;
  const rows = size?.rows ?? 0;
  const percent = rows > 0 ? Math.min(100, Math.max(0.1, (100 * 200_000) / rows)) : 100;
  const cutsOf = of === "staged"
    ? dwh<{ cuts: (number | null)[] | null }[]>`
        SELECT percentile_disc(${fractions}::float8[]) WITHIN GROUP (ORDER BY note_id) AS cuts
        FROM staging.etl_actions TABLESAMPLE SYSTEM (${percent}::float4) REPEATABLE (0)`
    : dwh<{ cuts: (number | null)[] | null }[]>`
        SELECT percentile_disc(${fractions}::float8[]) WITHIN GROUP (ORDER BY note_id) AS cuts
        FROM public.note_comments TABLESAMPLE SYSTEM (${percent}::float4) REPEATABLE (0)`;
  const [row] = await cutsOf;
  const cuts = [...new Set((row?.cuts ?? []).filter((c): c is number => c !== null))].sort((a, b) => a - b);
  const ranges: NoteRange[] = [];
  let low = EVERY_NOTE[0];
  for (const cut of cuts) {
    ranges.push([low, cut]);
    low = cut + 1;
  }
  ranges.push([low, EVERY_NOTE[1]]);
  return ranges;
}

/**
 * Runs the tasks in order, at most `width` at a time. After a failure no new task starts;
 * the running ones finish (their transactions end) before the first error is thrown.
 */
async function runConcurrently(tasks: (() => Promise<unknown>)[], width: number): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < tasks.length) {
      try {
        await tasks[next++]!();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await settleAll(Array.from({ length: Math.min(width, tasks.length) }, lane));
}

/** Waits for every promise, then throws the first rejection: no transaction outlives the run. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
}

function stepRecorder(ctx: LoadContext): Step {
  return async (name, work) => {
    const t0 = performance.now();
    const result = await work();
    recordStep(ctx, name, result, (performance.now() - t0) / 1000);
    return result;
  };
}

function recordStep(ctx: LoadContext, name: string, result: { count: number }, seconds: number): void {
  // Utility statements (ANALYZE, SELECT fn()) report no count: record 0, never null.
  const record = { rows: result.count ?? 0, seconds: Math.round(seconds * 1000) / 1000 };
  ctx.steps[name] = record;
  ctx.onProgress?.({ step: name, ...record });
}
