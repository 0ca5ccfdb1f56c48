import type { Sql, TransactionSql } from "postgres";
import { DatamartsError, toDatamartsError } from "./datamarts-error.ts";
import { sqlFile } from "./_sql-files.ts";

export type DatamartKind = "users" | "countries" | "global";
export type BuildScope = "touched" | "all";

export interface BuildProgress {
  datamart: DatamartKind;
  /** Which part of the users (0 or 1) when they are built on two connections. */
  shard?: number;
  /** e.g. "scope", "facts", "family:history", "upsert", "time-relative:update". */
  step: string;
  rows: number;
  seconds: number;
}

export interface BuildOptions {
  /** "touched" (default): entities of the ETL runs since the last build, plus global; "all": everything. */
  scope?: BuildScope;
  /** Build only this datamart. */
  only?: DatamartKind;
  /** Called after every step. Throwing from it cancels the build (rolled back, nothing changes). */
  onProgress?: (p: BuildProgress) => void;
  /** The moment whose UTC day is "today" for the time-relative fields (default: now). */
  asOf?: Date;
}

export interface DatamartReport {
  datamart: DatamartKind;
  /** The scope actually used ("all" when a touched build had never built this datamart). */
  scope: BuildScope;
  /**
   * Entities in scope: recomputed in full, or, for touched users none of whose own actions is
   * new, in what others' actions change (family "scope:passive" counts those).
   */
  entities: number;
  /** Rows inserted or changed by the full recomputation. */
  rowsWritten: number;
  rowsDeleted: number;
  /** Rows whose time-relative fields changed in the daily pass (0 when it did not run). */
  timeRelativeRows: number;
  /** ETL runs (from, to] whose touched entities were included. */
  etlRuns: { from: number; to: number };
  /** Rows of each family's work table and its seconds. */
  families: Record<string, { rows: number; seconds: number }>;
  seconds: number;
}

export interface BuildReport {
  scope: BuildScope;
  /** UTC day of the time-relative fields, YYYY-MM-DD. */
  today: string;
  datamarts: DatamartReport[];
  seconds: number;
}

type Tx = TransactionSql<{}>;

interface KindSpec {
  table: string;
  key: string;
  /** Labels of ranking items: whole-history lists, per-year lists, id key. */
  labels: Record<string, string>;
  families: string[];
  /** Families the daily pass over time-relative fields needs. */
  timeFamilies: string[];
  post: string[];
}

const SHARED = [
  "shared/history",
  "shared/firsts",
  "shared/patterns",
  "shared/dates",
  "shared/rankings",
  "shared/hashtags",
  "shared/working_hours",
  "shared/applications",
  "shared/comments",
  "shared/resolution",
  "shared/recent",
  "shared/recent_rankings",
];

const COUNTRY_FAMILIES: Record<string, string> = {
  "shared/firsts": "countries/firsts",
  "shared/comments": "countries/comments",
  "shared/patterns": "countries/patterns",
};

/**
 * Datamarts finished from the countries' aggregate state (migrations 0033, 0034), which is
 * merged with the new facts (or rebuilt) once per transaction before the first of them.
 */
const FROM_COUNTRIES_STATE: DatamartKind[] = ["countries", "global"];

const KINDS: Record<DatamartKind, KindSpec> = {
  users: {
    table: "dwh.datamartusers",
    key: "user_id",
    labels: { label_all: "country", label_year: "country_name", id_key: "country_id" },
    families: [...SHARED, "users/contributor_type", "users/mentions_received", "users/collaboration"],
    timeFamilies: ["shared/recent", "shared/recent_rankings", "users/contributor_type"],
    post: ["users/badges"],
  },
  countries: {
    table: "dwh.datamartcountries",
    key: "country_id",
    labels: { label_all: "username", label_year: "username", id_key: "user_id" },
    // The whole-history measures come from the countries' state (countries/state_*.sql,
    // migration 0033): the shared families read it through countries/counts.sql; firsts,
    // comments and patterns have their own files (min/max keys and sums instead of rows). The
    // facts read are only those of the last 371 days (the time-relative families).
    families: [...SHARED.map((f) => COUNTRY_FAMILIES[f] ?? f), "countries/extras"],
    timeFamilies: ["shared/recent", "shared/recent_rankings"],
    post: ["countries/health"],
  },
  global: {
    table: "dwh.datamartglobal",
    key: "dimension_global_id",
    labels: {},
    // The whole-history measures come from the countries' state, summed over countries; the
    // facts read are only those of the last 371 days.
    families: ["shared/recent", "global/extras"],
    timeFamilies: [],
    post: [],
  },
};

const ORDER: DatamartKind[] = ["users", "countries", "global"];
/** ETL runs still going: "running" and started within a day (one running longer is dead). */
const RUNS_STILL_GOING = "status = 'running' AND started_at > (now() AT TIME ZONE 'UTC') - interval '1 day'";
const LOCK_KEY = "osm-notes-analytics:datamarts";

/**
 * Builds the user, country and global datamarts set-based (every family is one grouped
 * statement over the facts of all entities in scope). With two connections in the pool, the
 * users are split in two parts by a hash of their id: one part in a REPEATABLE READ transaction
 * on this connection, the other beside the countries (and global in a full build) in a second
 * one that shares its snapshot, sized so both finish together. A build that fails leaves the
 * previous rows and watermarks as they were; one killed between the two commits (milliseconds)
 * leaves the side's datamarts built and the main ones not, which the next build redoes (each
 * datamart has its own watermark, and the users' is written by the main transaction only).
 * A second concurrent build fails fast with code "locked".
 */
export async function buildDatamarts(sql: Sql<any>, options: BuildOptions = {}): Promise<BuildReport> {
  const scope: BuildScope = options.scope ?? "touched";
  if (scope !== "touched" && scope !== "all")
    throw new DatamartsError("invalid_argument", `unknown scope ${String(scope)}`, 'use "touched" or "all"');
  if (options.only !== undefined && !ORDER.includes(options.only))
    throw new DatamartsError("invalid_argument", `unknown datamart ${String(options.only)}`, "use users, countries or global");
  const asOf = options.asOf ?? new Date();
  if (Number.isNaN(asOf.getTime())) throw new DatamartsError("invalid_argument", "asOf is not a valid date", "pass a Date");
  const today = asOf.toISOString().slice(0, 10);
  const kinds = options.only ? [options.only] : ORDER;
  const plan = planConnections(kinds, scope, (sql.options.max ?? 1) >= 2);
  const started = performance.now();
  try {
    const datamarts = await sql.begin("isolation level repeatable read", async (tx) => {
      await prepare(tx);
      const [lock] = await tx.unsafe<{ ok: boolean }[]>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [LOCK_KEY]);
      if (!lock?.ok)
        throw new DatamartsError("locked", "another datamart build is running on this database", "wait for it to finish, then run again");
      // The watermark's time is the build's start (before its snapshot), not its end: a rename
      // committed after the snapshot, by an ETL transaction that started before the end, must
      // still be newer than the recorded build for the next one (countries/scope_touched.sql).
      const [start] = await tx.unsafe<{ at: string; max_fact: string | null }[]>(
        // The users' fact watermark (users/scope_passive.sql) moves only when no ETL run is still
        // going: such a run's facts may be committed already while its touched users are left
        // for the next build, which must still see them as new.
        `SELECT (now() AT TIME ZONE 'UTC')::text AS at,
                CASE WHEN NOT EXISTS (SELECT 1 FROM dwh.etl_runs WHERE ${RUNS_STILL_GOING})
                     THEN (SELECT coalesce(max(fact_id), 0) FROM dwh.facts)::text END AS max_fact`,
      );
      const run: BuildRun = { scope, today, startedAt: start!.at, usersFactWatermark: start!.max_fact, onProgress: options.onProgress };
      if (plan.side.length === 0) return buildJobs(tx, plan.main, run);
      return buildTwoConnections(sql, tx, plan, run);
    });
    datamarts.sort((a, b) => ORDER.indexOf(a.datamart) - ORDER.indexOf(b.datamart));
    return { scope, today, datamarts, seconds: since(started) };
  } catch (err) {
    throw toDatamartsError(err, "datamarts build");
  }
}

/** The users whose id hashes (hashint4 & 1023) into [from, to). */
interface Shard {
  index: 0 | 1;
  from: number;
  to: number;
}

interface Job {
  kind: DatamartKind;
  shard?: Shard;
}

interface ConnectionPlan {
  main: Job[];
  side: Job[];
}

/** What every job of one build shares. */
interface BuildRun {
  scope: BuildScope;
  today: string;
  /** Start of the main transaction, UTC timestamp text. */
  startedAt: string;
  /** The highest fact id the users' rows now include (null: keep the recorded one). */
  usersFactWatermark: string | null;
  onProgress: BuildOptions["onProgress"];
}

/**
 * Hash buckets (of 1 024) of the users built on the second connection, so both connections
 * finish together (a server backend runs on one core and temporary tables get no parallel
 * workers). Measured at 1 M notes: a full build takes users 107 s, countries 38 s and global
 * 13.5 s of one core each, so the second connection takes countries, global and a quarter of
 * the users (both ended within 4 s of each other, 110 → 84 s). A touched build after a
 * 2 000-action run takes users 26 s, countries 33 s (every country is touched) and global 13 s:
 * users and global on this connection, countries on the other, no split (a second users part
 * costs about 5 s of its own: scope, scans of the facts for contributor type, collaboration and
 * badges; split, the build took 41 s instead of 36 s).
 * Since global reads its state (migration 0032; 13 → 9–10 s in a full build, ≈ 2 s touched),
 * the side takes a few more buckets: with 250 and 290 (two warm full builds each) it ended
 * 1.7 s before and 5.0–5.4 s after the main connection, so 260.
 * Since the countries read their state (migration 0033), a touched build's countries take 16 s
 * instead of 55 s (session 12's slower machine, where the users took 49 s), so a touched build
 * splits the users too: 260 buckets on the side, 51.7 → 43.4 s (main 43.1 s, side 42.2 s). A
 * full build's countries cost more (the state is rebuilt: 59 s); with 260 buckets the side
 * ended 15 s before the main connection (166 against 181 s), so 290.
 * Since global sums the countries' state (migration 0034) it runs beside them in every build
 * (0.9–1.6 s instead of 16 s in a full build), and the countries' rankings read only the users
 * above each list's cut (0035; 4.2 → 1.9 s touched). Measured on copies of one 1 M database:
 * touched, main 30.1 s and side 28.5 s; full, main 139 s and side 133 s (and 122 / 116 s in an
 * earlier run: this machine varies by 10–15 %). So a few more buckets for a full build: 300.
 * Since a touched build recomputes the users none of whose own actions is new only in what
 * others' actions change (users/scope_passive.sql), its users take 17 s, not 44 s of one core,
 * and a second users part would cost its fixed scans (scope, facts, contributor type,
 * collaboration: ≈ 5 s) again: the users stay whole on this connection (main 18.8 s, side
 * 17.2 s; split 280 buckets to the side, main 13.3 s and side 24 s).
 * Since the countries' state rebuild loads its larger tables keyless (≈ 64 → 52–58 s), a full
 * build gives the side 335: both ended within 1 s of each other (137 s; 150–162 s with 300).
 * Since the users' row no longer hashes the row built so far at each join (≈ 7 of its 11.6 s
 * in the main part) and a first build inserts without the upsert's comparisons, the users' part
 * shrank more than the countries': in the bench's chain at 1 M notes (a faster machine, Zen 4)
 * the side took 72.8 s against the main connection's 70.9 s with 335, so 325.
 */
const SIDE_USER_BUCKETS: Record<BuildScope, number> = { all: 325, touched: 0 };

function planConnections(kinds: DatamartKind[], scope: BuildScope, two: boolean): ConnectionPlan {
  if (!two || !kinds.includes("users")) return { main: kinds.map((kind) => ({ kind })), side: [] };
  const others = kinds.filter((k) => k !== "users");
  const sideBuckets = others.length === 0 ? 512 : SIDE_USER_BUCKETS[scope];
  const cut = 1024 - sideBuckets;
  const main: Job[] = [{ kind: "users", ...(sideBuckets > 0 ? { shard: { index: 0, from: 0, to: cut } } : {}) }];
  const side: Job[] = [];
  // Global after the countries, on their connection: it reads the countries' state their job
  // brought up to date, uncommitted until the end.
  for (const kind of others) side.push({ kind });
  if (sideBuckets > 0) side.push({ kind: "users", shard: { index: 1, from: cut, to: 1024 } });
  return { main, side };
}

async function prepare(tx: Tx): Promise<void> {
  await tx.unsafe("SET LOCAL TimeZone = 'UTC'");
  // Grouped statements over millions of rows: hash aggregates and sorts in memory (measured
  // on 100 k notes: spills to disk with the 4 MB default).
  await tx.unsafe("SET LOCAL work_mem = '256MB'");
}

async function buildJobs(
  tx: Tx,
  jobs: Job[],
  run: BuildRun,
  check?: () => void,
  /** The report of the users' other part (built on the other connection), merged before the watermark is written. */
  otherUsers?: Promise<DatamartReport>,
  /** Receives the report of a users part that does not write the watermark. */
  onUsersPart?: (report: DatamartReport) => void,
): Promise<DatamartReport[]> {
  await tx.unsafe(sqlFile("shared/concepts"));
  await tx.unsafe(sqlFile("shared/params"));
  const reports: DatamartReport[] = [];
  let usersMainPart: DatamartReport | undefined;
  const connection: ConnectionState = { countriesStateCurrent: false };
  for (const job of jobs) {
    const built = await buildKind(tx, job.kind, run.scope, run.today, run.onProgress, connection, check, job.shard);
    if (job.shard?.index === 1) onUsersPart?.(built);
    else if (job.shard && otherUsers) usersMainPart = built; // merged once the other part is done
    else reports.push(built);
  }
  // After this connection's other jobs: waiting for the other part earlier would leave it idle.
  if (usersMainPart && otherUsers) reports.push(mergeParts(usersMainPart, await otherUsers));
  for (const report of reports) await recordState(tx, report, run);
  await dropWorkTables(tx);
  return reports;
}

/**
 * Builds `plan.main` in `tx` and `plan.side` in a second REPEATABLE READ transaction that
 * imports the snapshot of `tx`, so both read the same data. The advisory lock of `tx` covers
 * both. The side transaction commits only after the main one succeeded and just before `tx`
 * does; a failure on either side rolls both back.
 */
async function buildTwoConnections(
  sql: Sql<any>,
  tx: Tx,
  plan: ConnectionPlan,
  run: BuildRun,
): Promise<DatamartReport[]> {
  const [snap] = await tx.unsafe<{ id: string }[]>("SELECT pg_export_snapshot() AS id");
  let failure: unknown;
  const check = () => {
    if (failure !== undefined) throw failure;
  };
  let settle!: (ok: boolean) => void;
  const mainDone = new Promise<boolean>((resolve) => (settle = resolve));
  let usersPart!: (report: DatamartReport) => void;
  let usersPartFailed!: (err: unknown) => void;
  const sideUsers = new Promise<DatamartReport>((resolve, reject) => ((usersPart = resolve), (usersPartFailed = reject)));
  sideUsers.catch(() => {}); // awaited by the main side; a failure is reported through `failure`
  const sideRun = sql
    .begin("isolation level repeatable read", async (tx2) => {
      await tx2.unsafe(`SET TRANSACTION SNAPSHOT '${snap!.id.replace(/'/g, "")}'`);
      await prepare(tx2);
      const reports = await buildJobs(tx2, plan.side, run, check, undefined, usersPart);
      if (!(await mainDone)) throw new Error("main datamart build failed");
      return reports;
    })
    .catch((err: unknown) => {
      failure ??= err;
      usersPartFailed(err);
      throw err;
    });
  sideRun.catch(() => {}); // awaited below; a side failure must not be reported as unhandled meanwhile
  try {
    const reports = await buildJobs(tx, plan.main, run, check, sideUsers);
    settle(true);
    return [...reports, ...(await sideRun)];
  } catch (err) {
    failure ??= err;
    settle(false);
    await sideRun.catch(() => {});
    throw failure;
  }
}

/** One report for the users built in two parts: counts added, seconds of the slower part. */
function mergeParts(a: DatamartReport, b: DatamartReport): DatamartReport {
  const families: DatamartReport["families"] = { ...a.families };
  for (const [name, f] of Object.entries(b.families)) {
    const mine = families[name];
    families[name] = mine ? { rows: mine.rows + f.rows, seconds: Math.max(mine.seconds, f.seconds) } : f;
  }
  return {
    ...a,
    entities: a.entities + b.entities,
    rowsWritten: a.rowsWritten + b.rowsWritten,
    rowsDeleted: a.rowsDeleted + b.rowsDeleted,
    timeRelativeRows: a.timeRelativeRows + b.timeRelativeRows,
    families,
    seconds: Math.max(a.seconds, b.seconds),
  };
}

interface StateRow {
  last_etl_run_id: string;
  time_relative_date: string | null;
  last_build_at: string | null;
  /** Users: the highest fact id their rows include (users/scope_passive.sql). */
  state_fact_id: string | null;
  /** Countries: the highest fact id their rows include (countries/rank_years.sql). */
  rows_fact_id: string | null;
}

/** What one connection's transaction has done so far. */
interface ConnectionState {
  /** The countries' state was brought up to date (countries and global read it). */
  countriesStateCurrent: boolean;
}

async function buildKind(
  tx: Tx,
  kind: DatamartKind,
  requested: BuildScope,
  today: string,
  onProgress: BuildOptions["onProgress"],
  connection: ConnectionState,
  /** Throws when the build must stop (the other connection failed). */
  check?: () => void,
  /** Only this part of the entities (users built on two connections). */
  shard?: Shard,
): Promise<DatamartReport> {
  const spec = KINDS[kind];
  // Names in SQL text are ours; the bounds are integers from planConnections.
  const inShard = (column: string) =>
    shard ? `(hashint4(${column}) & 1023) >= ${shard.from} AND (hashint4(${column}) & 1023) < ${shard.to}` : "true";
  const started = performance.now();
  const families: DatamartReport["families"] = {};
  const step = async (name: string, run: () => Promise<number>): Promise<number> => {
    check?.();
    const t = performance.now();
    const rows = await run();
    const seconds = since(t);
    families[name] = { rows, seconds };
    try {
      onProgress?.({ datamart: kind, ...(shard ? { shard: shard.index } : {}), step: name, rows, seconds });
    } catch (err) {
      throw new DatamartsError("cancelled", `build cancelled after ${kind} ${name}`, "nothing was changed; run it again", err);
    }
    return rows;
  };

  // The part that writes the watermark locks its row; the other part (same snapshot) only reads it.
  const [state] = await tx.unsafe<StateRow[]>(
    `SELECT last_etl_run_id::text, time_relative_date::text, last_build_at::text, state_fact_id::text, rows_fact_id::text
     FROM dwh.datamart_state WHERE datamart = $1
     ${shard?.index === 1 ? "" : "FOR UPDATE"}`,
    [kind],
  );
  if (!state) throw new DatamartsError("not_migrated", `dwh.datamart_state has no row for ${kind}`, "run `migrate` first");
  const from = Number(state.last_etl_run_id);
  const [upTo] = await tx.unsafe<{ to_run: string }[]>(
    // Runs still going hold the watermark back: their touched entities are taken by the next build.
    `SELECT greatest($1::bigint, coalesce(
        (SELECT min(run_id) - 1 FROM dwh.etl_runs WHERE ${RUNS_STILL_GOING}),
        (SELECT max(run_id) FROM dwh.etl_runs), 0))::text AS to_run`,
    [from],
  );
  const to = Number(upTo?.to_run ?? from);
  // A datamart never built is built in full, whatever was asked; so is one after a first or
  // full ETL run (those record no touched entities: everything changed).
  const [rebuilt] = await tx.unsafe<{ n: number }[]>(
    "SELECT count(*)::integer AS n FROM dwh.etl_runs WHERE run_id > $1 AND run_id <= $2 AND mode IN ('first', 'full')",
    [from, to],
  );
  const scope: BuildScope =
    kind === "global" || state.last_build_at === null || (rebuilt?.n ?? 0) > 0 ? "all" : requested;

  await tx.unsafe("TRUNCATE dm_p, dm_scope, dm_touched, dm_passive");
  await tx.unsafe(
    `INSERT INTO dm_p SELECT d, date_trunc('year', d)::date, date_trunc('month', d)::date, d - 30, d - 370, '-infinity'
     FROM (SELECT $1::date AS d) x`,
    [today],
  );
  // One row; without statistics the planner assumed 1 450 and mis-joined what reads it.
  await tx.unsafe("ANALYZE dm_p");

  let rowsWritten = 0;
  let rowsDeleted = 0;
  let entities = 0;
  if (kind === "global") {
    // Global is recomputed in full, unless a touched build finds no new ETL run on a day whose
    // time-relative values are already computed: then nothing it depends on changed.
    const unchanged = requested === "touched" && state.last_build_at !== null && to === from && state.time_relative_date === today;
    entities = unchanged ? 0 : 1;
  } else {
    entities = await step("scope", async () => {
      if (scope === "all") {
        await tx.unsafe(sqlFile(`${kind}/scope_all`));
      } else {
        const lastBuild = state.last_build_at;
        await tx.unsafe(sqlFile(`${kind}/scope_touched`), kind === "countries" ? [from, to, lastBuild] : [from, to]);
        await tx.unsafe(sqlFile(`${kind}/scope_from_touched`));
      }
      if (shard) {
        await tx.unsafe(`DELETE FROM dm_scope WHERE NOT (${inShard("id")})`);
        await tx.unsafe(`DELETE FROM dm_touched WHERE NOT (${inShard("id")})`);
      }
      await tx.unsafe("ANALYZE dm_scope");
      return count(tx, "dm_scope");
    });
  }
  // Touched users none of whose own actions is new are recomputed only in what others'
  // actions change (after the others, below).
  let passive = 0;
  if (kind === "users" && scope === "touched" && state.state_fact_id !== null && entities > 0) {
    passive = await step("scope:passive", async () => {
      await tx.unsafe("TRUNCATE dm_sw");
      await tx.unsafe("INSERT INTO dm_sw (from_fact) VALUES ($1)", [state.state_fact_id]);
      await tx.unsafe(sqlFile("users/scope_passive"));
      await tx.unsafe("ANALYZE dm_scope, dm_passive");
      return count(tx, "dm_passive");
    });
    entities -= passive;
  }

  if (FROM_COUNTRIES_STATE.includes(kind) && entities > 0) {
    if (!connection.countriesStateCurrent) await updateCountriesState(tx, requested, to, step);
    connection.countriesStateCurrent = true;
    await tx.unsafe("UPDATE dm_p SET since = window_start");
  }

  if (kind === "countries" && entities > 0) {
    // The ranking lists by year to recompute; the others are kept from the rows.
    await step("scope:years", async () => {
      await tx.unsafe("TRUNCATE dm_rank_years");
      if (scope === "all") await tx.unsafe("INSERT INTO dm_rank_years SELECT id, -1 FROM dm_scope");
      else await tx.unsafe(sqlFile("countries/rank_years"), [state.rows_fact_id, state.last_build_at]);
      await tx.unsafe("ANALYZE dm_rank_years");
      return count(tx, "dm_rank_years");
    });
  }
  if (entities > 0) {
    await step("facts", () => loadFacts(tx, kind, scope === "touched" && entities <= FEW_ENTITIES));
    for (const family of spec.families) {
      await step(`family:${family.split("/")[1]}`, () => runFamily(tx, family, spec.labels, { analyze: true }));
    }
    if (kind !== "global") {
      await step("row:recent", async () => {
        const rows = await run(tx, sqlFile(`${kind}/recent_row`), "dm_row_recent");
        await tx.unsafe(`ANALYZE dm_row_recent (${spec.key})`); // the key only, as runFamily
        return rows;
      });
    }
    await step("row", async () => run(tx, sqlFile(`${kind}/row`), "dm_row"));
    rowsWritten = await step("upsert", () => upsert(tx, spec.table, spec.key, "dm_row"));
  }
  if (kind !== "global") {
    rowsDeleted = await step("delete", async () => {
      const gone =
        scope === "all"
          ? await tx.unsafe(`DELETE FROM ${spec.table} WHERE ${spec.key} NOT IN (SELECT id FROM dm_scope) AND ${inShard(spec.key)}`)
          : // From the touched ids by the primary key: as NOT IN under IN, the planner scanned the
            // whole table (0.65 s for none deleted at 1 M notes).
            await tx.unsafe(
              `DELETE FROM ${spec.table} t USING dm_touched d
               WHERE t.${spec.key} = d.id AND NOT EXISTS (SELECT 1 FROM dm_scope s WHERE s.id = d.id)
                 AND NOT EXISTS (SELECT 1 FROM dm_passive p WHERE p.id = d.id)`,
            );
      return gone.count;
    });
  }
  if (entities > 0) for (const post of spec.post) await step(`post:${post.split("/")[1]}`, async () => (await tx.unsafe(sqlFile(post))).count);
  if (kind !== "global") await step("clear-modified", async () => (await tx.unsafe(sqlFile(`${kind}/clear_modified`))).count);
  if (passive > 0) rowsWritten += await passivePass(tx, spec, step, from, to);

  // The daily pass: the first touched build of a UTC day recomputes the time-relative fields of
  // every row (only actions of the last 371 days are read, plus all facts for the contributor
  // type), so they are right for entities nobody touched.
  let timeRelativeRows = 0;
  if (kind !== "global" && scope === "touched" && state.time_relative_date !== today) {
    // The countries' open notes come from the state: brought up to date even when no country
    // was touched.
    if (kind === "countries" && !connection.countriesStateCurrent) {
      await updateCountriesState(tx, requested, to, step);
      connection.countriesStateCurrent = true;
    }
    timeRelativeRows = await dailyPass(tx, kind, spec, step, shard && inShard("id"));
  }
  return { datamart: kind, scope, entities: entities + passive, rowsWritten, rowsDeleted, timeRelativeRows, etlRuns: { from, to }, families, seconds: since(started) };
}

/**
 * Entities in scope up to which a touched build analyzes its facts from a smaller sample (the
 * SQL files switch to index lookups at the same size: users/facts.sql).
 */
const FEW_ENTITIES = 20000;

/** Runs a family file; returns the rows of the work table it produces (analyzed when asked). */
async function runFamily(tx: Tx, family: string, labels: KindSpec["labels"], options: { analyze?: boolean } = {}): Promise<number> {
  const text = sqlFile(family, labels);
  await tx.unsafe(text);
  const table = workTable(text);
  // Statistics of the key only: the statements that read the work tables join them by it (the
  // row statement, collaboration, the passive users' row). Of every column, the wide JSON ones
  // cost most (a touched build at 1 M notes: 0.21 s of the users' connection, 2 000 rows each).
  if (options.analyze === true) await tx.unsafe(`ANALYZE ${table} (ek)`);
  return count(tx, table);
}

/** The facts input of a datamart (`<kind>/facts.sql`) with statistics, and its counts views. */
async function loadFacts(tx: Tx, kind: DatamartKind, few: boolean): Promise<number> {
  const text = sqlFile(`${kind}/facts`);
  await tx.unsafe(text);
  // Temporary tables get no statistics from autovacuum: without them the planner guesses
  // their sizes and joined the family tables with nested loops (minutes at 100 k notes).
  // For a few entities, a smaller sample (3 000 rows instead of 30 000): their plans do not
  // depend on fine statistics. A touched build at 1 M notes spent 0.12 s of its users'
  // connection analyzing the active users' 21 000 facts and their notes, and 0.05 s the passive
  // openers' 48 000 note counts.
  if (few) await tx.unsafe("SET LOCAL default_statistics_target = 10");
  await tx.unsafe(`ANALYZE ${createdTables(text).join(", ")}`);
  if (few) await tx.unsafe("SET LOCAL default_statistics_target TO DEFAULT");
  // What the shared families count: views over dm_f (users) or over the state (countries).
  if (kind !== "global") await tx.unsafe(sqlFile(`${kind}/counts`));
  return count(tx, "dm_f");
}

/** Families recomputed for the users whose own actions did not change (users/scope_passive.sql). */
const PASSIVE_FAMILIES = ["users/passive_resolution", "shared/recent", "users/mentions_received"];

/**
 * Recomputes, for the users of dm_passive who opened a touched note, the columns others'
 * actions change (users/passive_row.sql), from the notes they opened, their row (the averages of
 * their closes, users/passive_resolution.sql) and their facts of the last 371 days only, and
 * updates those that differ. Returns the rows changed.
 */
async function passivePass(
  tx: Tx,
  spec: KindSpec,
  step: (name: string, run: () => Promise<number>) => Promise<number>,
  /** The ETL runs (from, to] the build includes. */
  from: number,
  to: number,
): Promise<number> {
  const openers = await step("passive:scope", async () => {
    await tx.unsafe("TRUNCATE dm_scope");
    await tx.unsafe(sqlFile("users/passive_scope"), [from, to]);
    await tx.unsafe("TRUNCATE dm_pp");
    await tx.unsafe(sqlFile("users/passive_periods"), [from, to]);
    await tx.unsafe("ANALYZE dm_scope, dm_pp");
    return count(tx, "dm_scope");
  });
  if (openers === 0) return 0;
  await step("passive:facts", async () => {
    await tx.unsafe("UPDATE dm_p SET since = window_start");
    return loadFacts(tx, "users", openers <= FEW_ENTITIES);
  });
  for (const family of PASSIVE_FAMILIES) {
    await step(`passive:${family.split("/")[1]!.replace("passive_", "")}`, () => runFamily(tx, family, spec.labels));
  }
  await step("passive:row", async () => run(tx, sqlFile("users/passive_row"), "dm_row_passive"));
  const changed = await step("passive:update", () => updateFrom(tx, spec.table, spec.key, "dm_row_passive"));
  await tx.unsafe("UPDATE dm_p SET since = '-infinity'");
  return changed;
}

/**
 * Brings the countries' aggregate state (migrations 0033, 0034, 0036) up to the facts loaded
 * now: adds the facts above its watermark and moves the notes whose status changed, or
 * rebuilds it from every fact and note when a full build was asked for, when it was never
 * built, or after a first or full ETL run (those reload the facts). Its watermark is its own
 * (the countries' row of dwh.datamart_state), so that `--only global`, which brings it up to
 * date too, does not need the countries' datamart built.
 */
async function updateCountriesState(
  tx: Tx,
  requested: BuildScope,
  to: number,
  step: (name: string, run: () => Promise<number>) => Promise<number>,
): Promise<void> {
  const [state] = await tx.unsafe<{ fact: string | null; run: string | null; reloaded: boolean }[]>(
    `SELECT s.state_fact_id::text AS fact, s.state_etl_run_id::text AS run,
            EXISTS (SELECT 1 FROM dwh.etl_runs r WHERE r.run_id > s.state_etl_run_id AND r.run_id <= $1
                      AND r.mode IN ('first', 'full')) AS reloaded
     FROM dwh.datamart_state s WHERE s.datamart = 'countries' FOR UPDATE`,
    [to],
  );
  if (!state) throw new DatamartsError("not_migrated", "dwh.datamart_state has no row for countries", "run `migrate` first");
  const rebuild = requested === "all" || state.fact === null || state.run === null || state.reloaded;
  await step(rebuild ? "state:rebuild" : "state:merge", async () => {
    if (rebuild) await tx.unsafe(sqlFile("countries/state_clear"));
    await tx.unsafe("TRUNCATE dm_sw");
    await tx.unsafe("INSERT INTO dm_sw (from_fact) VALUES ($1)", [rebuild ? 0 : state.fact]);
    await tx.unsafe(sqlFile("countries/state_delta"));
    await tx.unsafe("ANALYZE dm_cd");
    await tx.unsafe(sqlFile("countries/state_merge"));
    if (rebuild) await tx.unsafe(sqlFile("countries/state_notes_rebuild"));
    else {
      await tx.unsafe("UPDATE dm_sw SET from_run = $1, to_run = $2", [state.run, to]);
      await tx.unsafe(sqlFile("countries/state_notes_merge"));
    }
    if (rebuild) await tx.unsafe(sqlFile("countries/state_keys"));
    await tx.unsafe(
      "UPDATE dwh.datamart_state SET state_fact_id = (SELECT to_fact FROM dm_sw), state_etl_run_id = $1 WHERE datamart = 'countries'",
      [to],
    );
    return count(tx, "dm_cd");
  });
}

/** Moves the datamart's watermark to the ETL run its report included. */
async function recordState(tx: Tx, report: DatamartReport, run: BuildRun): Promise<void> {
  await tx.unsafe(
    // A run still going at the snapshot dates its renames from its own start, which may be
    // earlier still: the recorded time is the earliest of the two.
    `UPDATE dwh.datamart_state SET last_etl_run_id = $2, time_relative_date = $3::date,
       last_build_at = least($7::timestamp, (SELECT min(started_at) FROM dwh.etl_runs WHERE ${RUNS_STILL_GOING})),
       last_build_scope = $4, last_build_rows = $5, last_build_seconds = $6,
       state_fact_id = CASE WHEN datamart = 'users' THEN coalesce($8::bigint, state_fact_id) ELSE state_fact_id END,
       -- The countries' rows were built from the state, up to its watermark (moved by this transaction).
       rows_fact_id = CASE WHEN datamart = 'countries' AND $9 THEN state_fact_id ELSE rows_fact_id END
     WHERE datamart = $1`,
    [
      report.datamart,
      report.etlRuns.to,
      run.today,
      report.scope,
      report.rowsWritten + report.timeRelativeRows,
      Math.round(report.seconds * 1000) / 1000,
      run.startedAt,
      run.usersFactWatermark,
      report.entities > 0,
    ],
  );
}

async function dailyPass(
  tx: Tx,
  kind: DatamartKind,
  spec: KindSpec,
  step: (name: string, run: () => Promise<number>) => Promise<number>,
  /** SQL predicate on dm_scope.id: the part of the entities this connection builds, if only a part. */
  inShard: string | undefined,
): Promise<number> {
  const n = await step("time-relative:scope", async () => {
    await tx.unsafe("TRUNCATE dm_scope");
    await tx.unsafe(sqlFile(`${kind}/scope_existing`));
    if (inShard) await tx.unsafe(`DELETE FROM dm_scope WHERE NOT (${inShard})`);
    await tx.unsafe("ANALYZE dm_scope");
    await tx.unsafe("UPDATE dm_p SET since = window_start");
    return count(tx, "dm_scope");
  });
  if (n === 0) return 0;
  await step("time-relative:facts", async () => {
    await tx.unsafe(sqlFile(`${kind}/facts`));
    return count(tx, "dm_f");
  });
  for (const family of spec.timeFamilies) {
    await step(`time-relative:${family.split("/")[1]}`, () => runFamily(tx, family, spec.labels));
  }
  await step("time-relative:row", async () => run(tx, sqlFile(`${kind}/recent_row`), "dm_row_recent"));
  const changed = await step("time-relative:update", () => updateFrom(tx, spec.table, spec.key, "dm_row_recent"));
  if (kind === "countries") await step("time-relative:health", async () => (await tx.unsafe(sqlFile("countries/health"))).count);
  await tx.unsafe("UPDATE dm_p SET since = '-infinity'");
  return changed;
}

/**
 * INSERT … ON CONFLICT DO UPDATE of every column of `source`; only rows whose content changed get
 * a new updated_at. Unchanged rows are left out before the insert: ON CONFLICT DO UPDATE locks
 * (writes) every conflicting row even when its WHERE then skips it.
 * The check for unchanged rows must probe the table by its key: when the table was analyzed
 * while empty (a new warehouse after `maintenance` or autovacuum), the planner took it for
 * empty and scanned it once per source row while this statement (and the other connection's
 * part) filled it: at 1 M notes the first full build's upsert was still running after 5
 * minutes (about 20 s otherwise). For such a table sequential scans are turned off, so it
 * probes the primary key. Only then: on PostgreSQL 15 that setting made every upsert slow
 * (2.3 s for the 43 countries of the real sample).
 */
async function upsert(tx: Tx, table: string, key: string, source: string): Promise<number> {
  const cols = await columnsOf(tx, source);
  const list = cols.join(", ");
  const rest = cols.filter((c) => c !== key);
  const [stats] = await tx.unsafe<{ empty: boolean }[]>(
    "SELECT reltuples = 0 AND relpages = 0 AS empty FROM pg_class WHERE oid = $1::regclass",
    [table],
  );
  const analyzedEmpty = stats?.empty === true;
  // A first build (no row visible): a plain insert. The anti-join and the conflict checks found
  // nothing to compare (the other users' part inserts other keys); 158 202 rows at 1 M notes.
  const [visible] = await tx.unsafe<{ any: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
  if (visible?.any === false) {
    const res = await tx.unsafe(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${source}`);
    return res.count;
  }
  if (analyzedEmpty) await tx.unsafe("SET LOCAL enable_seqscan = off");
  const res = await tx.unsafe(
    `INSERT INTO ${table} (${list}) SELECT ${cols.map((c) => `s.${c}`).join(", ")} FROM ${source} s
     WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${key} = s.${key}
       AND (${rest.map((c) => `t.${c}`).join(", ")}) IS NOT DISTINCT FROM (${rest.map((c) => `s.${c}`).join(", ")}))
     ON CONFLICT (${key}) DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(", ")},
       updated_at = (clock_timestamp() AT TIME ZONE 'UTC')
     WHERE (${rest.map((c) => `${table}.${c}`).join(", ")}) IS DISTINCT FROM (${rest.map((c) => `EXCLUDED.${c}`).join(", ")})`,
  );
  if (analyzedEmpty) await tx.unsafe("SET LOCAL enable_seqscan = on");
  return res.count;
}

/** UPDATE of the columns of `source` where they differ. */
async function updateFrom(tx: Tx, table: string, key: string, source: string): Promise<number> {
  const cols = (await columnsOf(tx, source)).filter((c) => c !== key);
  const res = await tx.unsafe(
    `UPDATE ${table} t SET ${cols.map((c) => `${c} = s.${c}`).join(", ")}, updated_at = (clock_timestamp() AT TIME ZONE 'UTC')
     FROM ${source} s WHERE t.${key} = s.${key}
       AND (${cols.map((c) => `t.${c}`).join(", ")}) IS DISTINCT FROM (${cols.map((c) => `s.${c}`).join(", ")})`,
  );
  return res.count;
}

async function columnsOf(tx: Tx, table: string): Promise<string[]> {
  const res = await tx.unsafe(`SELECT * FROM ${table} LIMIT 0`);
  return res.columns.map((c) => c.name);
}

async function run(tx: Tx, text: string, table: string): Promise<number> {
  await tx.unsafe(text);
  return count(tx, table);
}

async function count(tx: Tx, table: string): Promise<number> {
  const [row] = await tx.unsafe<{ n: number }[]>(`SELECT count(*)::integer AS n FROM ${table}`);
  return row?.n ?? 0;
}

/** The temporary tables a SQL file creates (names written in our own files). */
function createdTables(text: string): string[] {
  return [...text.matchAll(/CREATE TEMP TABLE (\w+)/g)].map((m) => m[1]!);
}

/** The table a family file produces (its last CREATE TEMP TABLE … AS). */
function workTable(text: string): string {
  const all = [...text.matchAll(/CREATE TEMP TABLE (\w+) AS/g)];
  const last = all.at(-1)?.[1];
  if (!last) throw new Error("family file without CREATE TEMP TABLE … AS");
  return last;
}

async function dropWorkTables(tx: Tx): Promise<void> {
  const tables = await tx.unsafe<{ relname: string }[]>(
    `SELECT c.relname FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r' AND c.relname LIKE 'dm\\_%'`,
  );
  // CASCADE: the views over them (users/counts.sql, countries/counts.sql).
  if (tables.length > 0) await tx.unsafe(`DROP TABLE IF EXISTS ${tables.map((t) => t.relname).join(", ")} CASCADE`);
}

function since(t: number): number {
  return (performance.now() - t) / 1000;
}
