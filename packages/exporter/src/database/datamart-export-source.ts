import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { DatamartCountryRow, DatamartGlobalRow, DatamartUserRow } from "@osm-notes/dwh-sql";
import type { Sql } from "postgres";
import {
  countryIndexEntryFromRow,
  countryProfileFromRow,
  globalStatsFromRow,
  userIndexEntryFromRow,
  userProfileFromRow,
} from "../documents/from-rows.ts";
import type { CountryIndexEntry, UserIndexEntry } from "../documents/indexes.ts";
import type { Metadata } from "../documents/metadata.ts";
import type { JsonExportSource } from "../export-json.ts";
import { ExporterError } from "../exporter-error.ts";
import { gitBlobId } from "../git-blob-id.ts";
import { dataSchemaHash } from "../json-schemas.ts";
import { countryProfilePath, FIXED_PATHS, userProfilePath } from "../paths.ts";
import type { TreeEntry, WriteTreeReport } from "../tree/write-tree.ts";
import { sqlFile } from "./_sql-files.ts";
import { profilePool, type ProfilePool } from "./_profile-pool.ts";
import type { IndexEntryText, PreparedProfile } from "./_profile-work.ts";
import { decodeRow, packCells, profileColumns, rowBytes, wireSpan, type ProfileColumn } from "./_row-cells.ts";
import { indexEntries, patchUserIndex, type IndexEntries } from "./_user-index-patch.ts";
import { readChanges } from "../tree/_reuse.ts";
import { prepareDocument, type Prepared } from "../tree/_prepare.ts";
import { validateDocument } from "../validator.ts";
import type { EntriesContext } from "../export-json.ts";
import { toExporterError } from "./_database-error.ts";

export interface DatamartExportSourceOptions {
  /**
   * The moment whose UTC day the documents must be right for (default: now). The datamarts'
   * time-relative fields (history_day_*, _month_, _year_, last 30 days, the 371-day activity
   * string, contributor type) must have been computed for that day (dwh.datamart_state), or the
   * export fails with "stale_datamarts" before writing anything.
   */
  asOf?: Date;
  /** Profile rows fetched per round trip of the cursor (default 500). */
  batchSize?: number;
  /**
   * Where markExported records what was written (dwh.json_export_pending) and the export state
   * (default: the reading pool). Reading from a streaming replica (READ_DATABASE_URL) needs the
   * primary here.
   */
  writeSql?: Sql<any>;
  /** Clock for metadata.export_date (tests). */
  now?: () => Date;
  /**
   * User profiles are parsed, mapped, validated (when `validate`), serialized and hashed in this
   * many worker threads (0: on the main thread, same code). Default: one per CPU, at most 4.
   * undefined `validate` here means the writer validates plain documents itself (the old path,
   * kept for a custom validator, which cannot cross to a worker).
   */
  profileWorkers?: number;
  /** Whether prepared profiles are validated (default true); "writer": yield plain documents. */
  validateProfiles?: boolean | "writer";
  /**
   * Workers started by the caller (exportJsonFromDatabase starts them first thing, so they
   * warm up while it reads the previous tree); entries() otherwise starts and stops its own.
   */
  pool?: ProfilePool;
}

/** What one entries() call read: counts, and the rows to record in markExported. */
export interface DatamartExportSnapshot {
  mode: "full" | "incremental";
  /** Entities in the indexes (= files of that kind in the new tree). */
  users: number;
  countries: number;
  /** Profiles given to the writer (all in a full export, the pending ones otherwise). */
  userProfiles: number;
  countryProfiles: number;
}

export interface DatamartExportSource extends JsonExportSource {
  /** Filled while entries() runs; undefined before the first call. */
  readonly snapshot: DatamartExportSnapshot | undefined;
}

/** Rows as to_jsonb / row_to_json give them: dates and timestamps are ISO strings, which the mappers accept. */
type JsonRow<T> = T;
const MARK_CHUNK = 20_000;
/** Lowest user id the export publishes (the profile schema's user_id minimum). */
export const FIRST_PUBLISHED_USER = 1;

/** The ids and updated_at (ISO text, exact) of the rows an export emitted. */
class Emitted {
  ids: number[] = [];
  stamps: string[] = [];
  add(id: number, updatedAt: unknown): void {
    this.ids.push(id);
    this.stamps.push(String(updatedAt));
  }
}

/**
 * The JSON export's reader of the datamart tables: one REPEATABLE READ, READ ONLY transaction
 * on one reserved connection, so profiles, indexes, metadata and global stats describe the
 * same snapshot. User profiles stream through a cursor (batchSize rows per round trip, memory
 * independent of the number of users); the two indexes are read whole (they are documents).
 *
 * "full": every profile. "incremental": only rows in dwh.json_export_pending (queued by
 * triggers whenever a row is written; the datamart builder writes a row only when its content
 * changes, including the daily time-relative pass); indexes, metadata and global stats always.
 * Entities gone from the datamarts are missing from the new indexes, so the writer drops their
 * files.
 *
 * markExported (called by exportJson only after the swap) deletes from the queue exactly the
 * rows it emitted, at the updated_at the export read, and records the new tree's manifest in
 * dwh.json_export_state, in one transaction. A row updated by a datamart build that committed
 * during the export keeps its newer updated_at and stays pending.
 */
export function datamartExportSource(sql: Sql<any>, options: DatamartExportSourceOptions = {}): DatamartExportSource {
  const batchSize = options.batchSize ?? 500;
  const writeSql = options.writeSql ?? sql;
  const now = options.now ?? (() => new Date());
  const validateProfiles = options.validateProfiles ?? true;
  const profileWorkers = options.profileWorkers ?? defaultProfileWorkers();
  let snapshot: DatamartExportSnapshot | undefined;
  let emitted: { users: Emitted; countries: Emitted; global: { id: number; updatedAt: string } | undefined } | undefined;

  async function* entries(mode: "full" | "incremental", context: EntriesContext = {}): AsyncIterable<TreeEntry> {
    const today = (options.asOf ?? now()).toISOString().slice(0, 10);
    const users = new Emitted();
    const countries = new Emitted();
    let global: { id: number; updatedAt: string } | undefined;
    const snap: DatamartExportSnapshot = { mode, users: 0, countries: 0, userProfiles: 0, countryProfiles: 0 };
    snapshot = snap;
    emitted = undefined;
    let conn: Awaited<ReturnType<Sql<any>["reserve"]>>;
    try {
      conn = await sql.reserve();
    } catch (err) {
      throw toExporterError(err, "connecting for the export");
    }
    let open = false;
    let side: SideReader | undefined;
    // Incremental: indexes/users.json patched from the current tree's (see _user-index-patch.ts),
    // when its bytes can be trusted; read and checked while the database works.
    // Started once the first profile batch is requested: its synchronous part (hashing and
    // splitting 77 MB at 1 M notes, ≈ 0.35 s) then runs while the server computes that batch,
    // instead of holding up the queries that come first.
    const patching = mode === "incremental" && validateProfiles !== "writer";
    let patch: Promise<IndexEntries> | undefined;
    const startPatch = () => {
      if (!patching || patch !== undefined) return;
      patch = currentUserIndex(context, validateProfiles);
      patch.catch(() => undefined);
    };
    const changedEntries = new Map<number, IndexEntryText>();
    // Country profiles (43 at 1 M notes, 14 MB, every one pending after a cron run: ≈ 0.4 s of
    // the main thread) are prepared as soon as the side reader has their rows, while the main
    // thread waits for profile batches, rather than after the last profile.
    let countriesPrepared: Promise<Map<number, Prepared>> | undefined;
    const prepareCountries =
      validateProfiles === "writer"
        ? undefined
        : (rows: CountryRows) => {
            countriesPrepared = prepareCountryProfiles(rows, mode, validateProfiles);
            countriesPrepared.catch(() => undefined);
          };
    try {
      try {
        await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        open = true;
        // The text form of the profile rows' dates and timestamps (_row-cells.ts), whatever the
        // server's or role's default.
        await conn.unsafe("SET LOCAL DateStyle = 'ISO, YMD'");
        await checkDatamartDays(conn, today);
        // The indexes, countries and global row are read on a second connection in the same
        // snapshot (pg_export_snapshot), while the profiles stream on this one: the server builds
        // the user index (1.2 s at 1 M notes: a scan of the wide table, two sorts) on the other
        // core instead of after the profiles. A pool of one connection reads them in turn.
        side = (sql.options.max ?? 1) >= 2 ? await startSideReader(sql, conn, patching, prepareCountries) : undefined;
      } catch (err) {
        throw toExporterError(err, "reading the datamart state");
      }

      // User profiles, streamed.
      const profileSql = sqlFile(mode === "full" ? "json/user-profiles-all" : "json/user-profiles-pending");
      // The columns of the first batch's description (later batches of a cursor carry none).
      let columns: ProfileColumn[] | undefined;
      const columnsOf = (rows: unknown): ProfileColumn[] =>
        (columns ??= profileColumns((rows as { columns?: Array<{ name: string; type: number }> | null }).columns));
      if (validateProfiles === "writer") {
        for await (const rows of cursorBatches(conn.unsafe(profileSql, [FIRST_PUBLISHED_USER]).raw().cursor(batchSize))) {
          const raw = rows as unknown as Array<Array<Uint8Array | null>>;
          const cols = columnsOf(rows);
          const cells = packCells(raw, cols.length);
          for (let i = 0; i < raw.length; i++) {
            const { row, name, nameEn } = decodeRow(cols, cells, i);
            const userRow = row as unknown as JsonRow<DatamartUserRow> & { updated_at: string };
            users.add(userRow.user_id, userRow.updated_at);
            snap.userProfiles += 1;
            yield {
              path: userProfilePath(userRow.user_id),
              kind: "user-profile",
              document: userProfileFromRow(userRow, { name, name_en: nameEn }),
            };
          }
        }
      } else {
        // Rows as raw bytes, prepared in worker threads (or inline), taken back in order.
        const pool = options.pool ?? profilePool(profileWorkers, validateProfiles);
        const inFlight: Array<Promise<PreparedProfile[]>> = [];
        const maxInFlight = 2 * Math.max(1, profileWorkers);
        const emit = function* (prepared: PreparedProfile[]): Generator<TreeEntry> {
          for (const p of prepared) {
            if (p.indexEntry !== undefined) changedEntries.set(p.userId, p.indexEntry);
            users.add(p.userId, p.updatedAt);
            snap.userProfiles += 1;
            yield { path: p.path, kind: "user-profile", prepared: p.prepared };
          }
        };
        try {
          for await (const rows of cursorBatches(conn.unsafe(profileSql, [FIRST_PUBLISHED_USER]).raw().cursor(batchSize), startPatch)) {
            const cols = columnsOf(rows);
            for (const part of splitBatch(rows as unknown as Array<Array<Uint8Array | null>>, cols.length)) {
              const p = pool.prepare(part, cols, patching);
              p.catch(() => undefined); // awaited in order below
              inFlight.push(p);
            }
            while (inFlight.length > maxInFlight) yield* emit(await inFlight.shift()!);
          }
          while (inFlight.length > 0) yield* emit(await inFlight.shift()!);
        } finally {
          await Promise.allSettled(inFlight);
          if (options.pool === undefined) await pool.close();
        }
      }

      let userIndex: UserIndexEntry[] | undefined;
      let patched: { bytes: Uint8Array[]; ids: number[] } | undefined;
      let countryRows: CountryRows;
      let globalRows: Array<{ row: JsonRow<DatamartGlobalRow> & { updated_at: string } }>;
      try {
        const read = await (side?.result ?? readIndexesAndTotals(conn, patching, prepareCountries));
        if (read.userOrder !== undefined) {
          const ids = read.userOrder === "" ? [] : read.userOrder.split(",").map(Number);
          startPatch(); // (started already, unless the cursor never ran)
          const base = await patch!.catch(() => undefined);
          const texts = new Map<number, string>();
          for (const [id, e] of changedEntries) if (e.ok) texts.set(id, e.text);
          // An invalid entry: the whole index is rebuilt below, so the writer reports it as before.
          const bytes = base !== undefined && texts.size === changedEntries.size ? patchUserIndex(base, ids, texts) : undefined;
          if (bytes !== undefined) patched = { bytes, ids };
        }
        // Full export, or the patch was not possible: the whole index, from the same snapshot.
        if (patched === undefined) {
          const tuples = read.userIndex ?? (await readUserIndexTuples(conn));
          userIndex = tuples.flatMap((chunk) => (JSON.parse(chunk.tuples) as unknown[][]).map((tuple) => userIndexEntryFromRow(rowOf(tuple))));
        }
        countryRows = read.countryRows;
        globalRows = read.globalRows;
      } catch (err) {
        throw toExporterError(err, "reading the datamarts");
      }

      // The user index before the country profiles: its file (77 MB at 1 M notes) is written
      // while they are prepared, not after.
      if (patched !== undefined) {
        const prepared = { ok: true as const, bytes: patched.bytes, sha1: gitBlobId(patched.bytes), validated: validateProfiles === true };
        yield { path: FIXED_PATHS["user-index"], kind: "user-index", prepared, ids: new Set(patched.ids) };
      } else {
        yield { path: FIXED_PATHS["user-index"], kind: "user-index", document: userIndex! };
      }
      const countryIndex: CountryIndexEntry[] = [];
      const preparedCountries = countriesPrepared === undefined ? undefined : await countriesPrepared;
      for (const r of countryRows) {
        countryIndex.push(countryIndexEntryFromRow(r.row));
        if (mode === "full" || r.pending) {
          countries.add(r.row.country_id, (r.row as unknown as { updated_at: string }).updated_at);
          snap.countryProfiles += 1;
          const path = countryProfilePath(r.row.country_id);
          const prepared = preparedCountries?.get(r.row.country_id);
          yield prepared !== undefined
            ? { path, kind: "country-profile", prepared }
            : { path, kind: "country-profile", document: countryProfileFromRow(r.row) };
        }
      }
      // Same order as the user index (the original's), ties by id.
      countryIndex.sort(
        (a, b) => b.history_whole_open - a.history_whole_open || b.history_whole_closed - a.history_whole_closed || a.country_id - b.country_id,
      );
      const totalUsers = patched?.ids.length ?? userIndex!.length;
      snap.users = totalUsers;
      snap.countries = countryIndex.length;
      yield { path: FIXED_PATHS["country-index"], kind: "country-index", document: countryIndex };

      const globalRow = globalRows[0];
      if (globalRow === undefined) {
        throw new ExporterError("datamarts_not_built", "dwh.datamartglobal has no row", "run `migrate`, then `datamarts`");
      }
      global = { id: globalRow.row.dimension_global_id, updatedAt: String(globalRow.row.updated_at) };
      yield { path: FIXED_PATHS["global-stats"], kind: "global-stats", document: globalStatsFromRow(globalRow.row) };

      const at = now();
      const metadata: Metadata = {
        export_date: `${at.toISOString().slice(0, 19)}Z`,
        export_timestamp: Math.floor(at.getTime() / 1000),
        total_users: totalUsers,
        total_countries: countryIndex.length,
        version: "1.0.0",
        schema_version: "1.0.0",
        api_compat_min: "1.0.0",
        data_schema_hash: dataSchemaHash(),
      };
      yield { path: FIXED_PATHS.metadata, kind: "metadata", document: metadata };

      await conn.unsafe("COMMIT");
      open = false;
      emitted = { users, countries, global };
    } finally {
      // Also reached when the writer stops early (generator return): never leave the
      // transaction open on a pooled connection.
      // The side reader ends first: its transaction imported this one's snapshot.
      if (side !== undefined) await side.done;
      if (open) await conn.unsafe("ROLLBACK").catch(() => undefined);
      conn.release();
    }
  }

  async function markExported(report: WriteTreeReport, mode: "full" | "incremental"): Promise<void> {
    const done = emitted;
    if (done === undefined) return; // entries() did not complete: nothing was swapped in from it
    emitted = undefined;
    // The bytes writeTree wrote (hashed there, not read back: 21 MB at 1 M notes).
    const manifestBlobId = report.manifestBlobId;
    try {
      await writeSql.begin(async (tx) => {
        // Not waiting for the WAL flush (≈ 40 ms here): a record lost to a server crash only
        // makes the next export a full one (the tree's manifest is then not the recorded one).
        await tx.unsafe("SET LOCAL synchronous_commit = off");
        for (const [datamart, rows] of [
          ["users", done.users],
          ["countries", done.countries],
        ] as const) {
          for (let i = 0; i < rows.ids.length; i += MARK_CHUNK) {
            // Comma-separated text (see mark-exported.sql); ISO stamps hold no comma.
            await tx.unsafe(sqlFile("json/mark-exported"), [
              datamart,
              rows.ids.slice(i, i + MARK_CHUNK).join(","),
              rows.stamps.slice(i, i + MARK_CHUNK).join(","),
            ]);
          }
        }
        if (done.global !== undefined) await tx.unsafe(sqlFile("json/mark-global"), [done.global.id, done.global.updatedAt]);
        await tx.unsafe(sqlFile("json/save-state"), [manifestBlobId, mode, report.written.length, report.deleted.length]);
      });
    } catch (err) {
      throw toExporterError(err, "recording the export (the new tree is in place; the next export will be a full one)");
    }
    // Best effort: the export is recorded; without this the next one is only slower.
    if (mode === "full") await writeSql.unsafe(sqlFile("json/after-full-export")).catch(() => undefined);
  }

  return {
    get snapshot() {
      return snapshot;
    },
    entries,
    markExported,
  };
}

/** One worker per CPU, at most 4. */
export function defaultProfileWorkers(): number {
  return Math.min(4, availableParallelism());
}

type Reserved = Awaited<ReturnType<Sql<any>["reserve"]>>;

/**
 * A cursor's batches, the next one requested before this one is handed out, so the server
 * produces it while the caller works (the portal otherwise idles between round trips: measured
 * at 1 M notes, server and exporter took turns, wall time = the sum of both). Stopping early
 * lets the batch in flight arrive, then closes the portal (or a ROLLBACK would wait behind it).
 * afterFirstRequest runs once the first batch is asked for.
 */
async function* cursorBatches<T>(cursor: AsyncIterable<T[]>, afterFirstRequest?: () => void): AsyncGenerator<T[]> {
  const iterator = cursor[Symbol.asyncIterator]();
  const fetchNext = (): Promise<IteratorResult<T[]>> => {
    // next() returns a plain { done: true } once the portal is exhausted.
    const p = Promise.resolve(iterator.next()).catch((err: unknown) => {
      throw toExporterError(err, "reading dwh.datamartusers");
    });
    p.catch(() => undefined); // awaited below; not "unhandled" while a batch is worked on
    return p;
  };
  let pending: Promise<IteratorResult<T[]>> | undefined = fetchNext();
  afterFirstRequest?.();
  let drained = false;
  try {
    while (true) {
      const next: IteratorResult<T[]> = await pending;
      pending = undefined;
      if (next.done) break;
      pending = fetchNext();
      yield next.value;
    }
    drained = true;
  } finally {
    if (!drained) {
      const last = await pending?.catch(() => undefined);
      if (last === undefined || !last.done) await iterator.return?.();
    }
  }
}

/** Worker-sized parts of a cursor batch (busy users' rows reach 400 kB; parts spread them). */
function splitBatch(rows: Array<Array<Uint8Array | null>>, width: number): Array<Array<Array<Uint8Array | null>>> {
  const parts: Array<Array<Array<Uint8Array | null>>> = [];
  let part: Array<Array<Uint8Array | null>> = [];
  let bytes = 0;
  for (const row of rows) {
    part.push(row);
    const span = wireSpan(row, width);
    bytes += span === undefined ? rowBytes(row, width) : span.to - span.from;
    if (bytes >= PART_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
const PART_BYTES = 2 << 20;

type CountryRows = Array<{ row: JsonRow<DatamartCountryRow>; pending: boolean }>;

interface IndexesAndTotals {
  /** Chunks of positional tuples (json/user-index.sql), unless only the order was read. */
  userIndex?: Array<{ tuples: string }>;
  /** Comma-separated user ids in index order (json/user-index-order.sql). */
  userOrder?: string;
  countryRows: CountryRows;
  globalRows: Array<{ row: JsonRow<DatamartGlobalRow> & { updated_at: string } }>;
}

/** The country rows first (handed to onCountries at once), then the user index, then global. */
async function readIndexesAndTotals(conn: Sql<any>, orderOnly: boolean, onCountries?: (rows: CountryRows) => void): Promise<IndexesAndTotals> {
  const countryRows = await conn.unsafe<CountryRows>(sqlFile("json/countries"));
  onCountries?.(countryRows);
  let users: Pick<IndexesAndTotals, "userIndex" | "userOrder">;
  if (orderOnly) {
    const [row] = await conn.unsafe<Array<{ ids: string }>>(sqlFile("json/user-index-order"), [FIRST_PUBLISHED_USER]);
    users = { userOrder: row?.ids ?? "" };
  } else {
    users = { userIndex: await readUserIndexTuples(conn) };
  }
  const globalRows = await conn.unsafe<IndexesAndTotals["globalRows"]>(sqlFile("json/global"));
  return { ...users, countryRows, globalRows };
}

async function readUserIndexTuples(conn: Sql<any>): Promise<Array<{ tuples: string }>> {
  return await conn.unsafe<Array<{ tuples: string }>>(sqlFile("json/user-index"), [FIRST_PUBLISHED_USER]);
}

/**
 * The current tree's users.json, split into entries, when its bytes can stand in for the
 * entries of users who did not change: they are the file the current manifest names (the
 * manifest the database recorded, checked by exportJsonFromDatabase before an incremental
 * export), and, when this export validates, the tree's marker says every file of it was
 * validated against today's schemas. undefined (rejected) otherwise.
 */
async function currentUserIndex(context: EntriesContext, validate: boolean): Promise<IndexEntries> {
  const { previousDir, previousManifest } = context;
  const recorded = previousManifest?.get(FIXED_PATHS["user-index"])?.sha1;
  if (previousDir === undefined || recorded === undefined) throw new Error("no current user index");
  if (validate && (await readChanges(previousDir))?.validated !== dataSchemaHash()) throw new Error("not validated");
  const bytes = await mapFile(join(previousDir, FIXED_PATHS["user-index"]));
  if (gitBlobId(bytes) !== recorded) throw new Error("not the recorded file");
  const entries = indexEntries(bytes);
  if (entries === undefined) throw new Error("not an index this exporter wrote");
  return entries;
}

/**
 * The file's bytes, mapped rather than read under Bun: the unchanged entries go from the page
 * cache to the new file without a 77 MB copy in this process. A version's files are never
 * written in place (new content is a new file), so the mapping cannot change under the reader;
 * an unlinked file stays readable while mapped.
 */
async function mapFile(path: string): Promise<Uint8Array> {
  return typeof Bun !== "undefined" ? Bun.mmap(path, { shared: false }) : await readFile(path);
}

interface SideReader {
  /** Rejects like the queries would (the caller maps the error). */
  result: Promise<IndexesAndTotals>;
  /** Settles once the side connection is back in the pool (never rejects). */
  done: Promise<void>;
}

const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

/**
 * Starts readIndexesAndTotals on a second connection whose transaction imports `conn`'s
 * snapshot, so both read the same data. `conn` must stay in its transaction until `done`.
 */
async function startSideReader(sql: Sql<any>, conn: Reserved, orderOnly: boolean, onCountries?: (rows: CountryRows) => void): Promise<SideReader> {
  const [exported] = await conn.unsafe<Array<{ id: string }>>("SELECT pg_export_snapshot() AS id");
  const id = exported?.id ?? "";
  // SET TRANSACTION SNAPSHOT takes no parameter; the id is the server's own, checked anyway.
  if (!SNAPSHOT_ID.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  const result = (async () => {
    const other = await sql.reserve();
    try {
      await other.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        await other.unsafe(`SET TRANSACTION SNAPSHOT '${id}'`);
        return await readIndexesAndTotals(other, orderOnly, onCountries);
      } finally {
        await other.unsafe("ROLLBACK").catch(() => undefined);
      }
    } finally {
      other.release();
    }
  })();
  const done = result.then(
    () => undefined,
    () => undefined,
  );
  return { result, done };
}

/**
 * The country profiles the export writes (all in a full export, the pending ones otherwise),
 * mapped, validated (validate) and serialized, one per turn of the event loop so that a
 * profile batch arriving meanwhile is not held up.
 */
async function prepareCountryProfiles(rows: CountryRows, mode: "full" | "incremental", validate: boolean): Promise<Map<number, Prepared>> {
  const prepared = new Map<number, Prepared>();
  for (const r of rows) {
    if (mode !== "full" && !r.pending) continue;
    await new Promise((resolve) => setImmediate(resolve));
    const id = r.row.country_id;
    prepared.set(id, prepareDocument(countryProfilePath(id), "country-profile", countryProfileFromRow(r.row), validate ? validateDocument : undefined));
  }
  return prepared;
}

/** The columns of json/user-index.sql's tuples, in order. */
const USER_INDEX_COLUMNS = [
  "user_id", "username", "history_whole_open", "history_whole_closed", "history_year_open", "history_year_closed",
  "latest_open_note_id", "latest_commented_note_id", "latest_closed_note_id",
] as const satisfies ReadonlyArray<keyof DatamartUserRow>;

function rowOf(tuple: unknown[]): DatamartUserRow {
  const row: Record<string, unknown> = {};
  for (const [i, column] of USER_INDEX_COLUMNS.entries()) row[column] = tuple[i];
  return row as unknown as DatamartUserRow;
}

/** Fails unless every datamart's time-relative fields were computed for `today`. */
async function checkDatamartDays(conn: Sql<any>, today: string): Promise<void> {
  const rows = await conn.unsafe<Array<{ datamart: string; day: string | null }>>(sqlFile("json/datamart-days"));
  const notBuilt = rows.filter((r) => r.day === null).map((r) => r.datamart);
  if (rows.length === 0 || notBuilt.length > 0) {
    throw new ExporterError(
      "datamarts_not_built",
      `datamarts never built: ${notBuilt.join(", ") || "users, countries, global"}`,
      "run `etl`, then `datamarts`, then export",
    );
  }
  const stale = rows.filter((r) => r.day !== today);
  if (stale.length > 0) {
    throw new ExporterError(
      "stale_datamarts",
      `the datamarts' time-relative fields are for ${stale.map((r) => `${r.datamart} ${r.day}`).join(", ")}, not for ${today} (UTC)`,
      "run `datamarts` first (its first build of a UTC day refreshes today / this month / this year / last 30 days for every row), then export",
    );
  }
}
