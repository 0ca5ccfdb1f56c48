import { pipeline } from "node:stream/promises";
import type { Sql, TransactionSql } from "postgres";
import { sqlFile } from "./sql-files.ts";

export interface StageParams {
  /** max(notes.note_id) at the start of the run: newer rows wait for the next run. */
  snapshot: number;
  /** created_at lower bound of the delta, timestamp text; null = no bound. */
  since: string | null;
  /** First and full runs: the facts were emptied, and every user is staged (the whole user dimension is refreshed). */
  bulk: boolean;
}

/** Inclusive range of note ids (both ends fit a PostgreSQL integer). */
export type NoteRange = [number, number];

export const EVERY_NOTE: NoteRange = [-2_147_483_648, 2_147_483_647];

type Tx = TransactionSql<{}>;

/** Base tables in the dwh database: the delta moves with INSERT … SELECT. */
export async function stageSameDatabase(tx: Tx, p: StageParams): Promise<void> {
  await tx.file(sqlFile("stage/truncate"));
  await tx.file(sqlFile("stage/actions-same-db"), [p.snapshot, p.since, p.bulk, ...EVERY_NOTE]);
  await tx.file(sqlFile("stage/notes-same-db"));
  await tx.file(sqlFile("stage/users-same-db"), [p.bulk]);
  await tx.file(sqlFile("stage/countries-same-db"));
  await tx.file(sqlFile("stage/analyze"));
}

/**
 * The same rows for a bulk load on several connections: independent parts, each to run in a
 * transaction of its own (the actions by note range, the notes from the base tables, users
 * and countries), after `stage/truncate` and before `stage/analyze`.
 */
export function bulkStageParts(p: StageParams, ranges: NoteRange[]): ((tx: Tx) => Promise<unknown>)[] {
  return [
    ...ranges.map((range) => (tx: Tx) => tx.file(sqlFile("stage/actions-same-db"), [p.snapshot, null, true, ...range])),
    (tx: Tx) => tx.file(sqlFile("stage/notes-all-same-db"), [p.snapshot]),
    async (tx: Tx) => {
      await tx.file(sqlFile("stage/users-same-db"), [true]);
      await tx.file(sqlFile("stage/countries-same-db"));
    },
  ];
}

/**
 * Base tables in another database (INGESTION_DATABASE_URL): the needed rows stream with
 * `COPY … TO STDOUT` on the ingestion connection into `COPY … FROM STDIN` of text-typed
 * staging tables, then are cast in SQL. Only the delta travels on incremental runs. COPY
 * takes no parameters, so the values spliced into it are numbers and a timestamp this module
 * formatted and checked itself.
 */
export async function stageFromIngestion(tx: Tx, ingestion: Sql<{}>, p: StageParams): Promise<void> {
  await tx.file(sqlFile("stage/truncate"));
  const snapshot = integer(p.snapshot);
  const since = p.since === null ? null : timestamp(p.since);
  const retry = await tx<{ note_id: number; sequence_action: number }[]>`
    SELECT note_id, sequence_action FROM dwh.etl_quarantine
    WHERE rejected AND resolved_at IS NULL AND note_id IS NOT NULL AND sequence_action IS NOT NULL`;
  const retryKeys = retry.map((r) => `(${integer(r.note_id)},${integer(r.sequence_action)})`).join(",");
  const window = [since === null ? "true" : `c.created_at >= '${since}'::timestamp`];
  if (retryKeys) window.push(`(c.note_id, c.sequence_action) IN (VALUES ${retryKeys})`);
  await copyBetween(ingestion, tx,
    `SELECT c.note_id, c.sequence_action, c.event::text, c.created_at, c.id_user, t.body, t.note_id IS NOT NULL
     FROM public.note_comments c
     LEFT JOIN public.note_comments_text t ON t.note_id = c.note_id AND t.sequence_action = c.sequence_action
     WHERE c.note_id <= ${snapshot} AND (${window.join(" OR ")})`,
    "staging.etl_actions_raw");
  await tx.file(sqlFile("stage/cast-raw"));

  const noteIds = await tx<{ ids: string | null }[]>`SELECT string_agg(DISTINCT note_id::text, ',') AS ids FROM staging.etl_actions`;
  const noteFilter = p.since === null ? `note_id <= ${snapshot}` : `note_id = ANY('{${idList(noteIds[0]?.ids)}}'::integer[])`;
  await copyBetween(ingestion, tx,
    `SELECT note_id, latitude, longitude, created_at, id_country FROM public.notes WHERE ${noteFilter}`, "staging.etl_notes_raw");
  await tx.file(sqlFile("stage/cast-raw-notes"));

  const userIds = await tx<{ ids: string | null }[]>`
    SELECT string_agg(DISTINCT id::text, ',') AS ids
    FROM (SELECT id_user AS id FROM staging.etl_actions WHERE id_user IS NOT NULL
          UNION SELECT user_id FROM dwh.dimension_users WHERE is_current AND username IS NULL) u`;
  const userFilter = p.bulk ? "true" : `user_id = ANY('{${idList(userIds[0]?.ids)}}'::integer[])`;
  await copyBetween(ingestion, tx, `SELECT user_id, username FROM public.users WHERE ${userFilter}`, "staging.etl_users_raw");
  await tx.file(sqlFile("stage/cast-raw-users"));

  await copyBetween(ingestion, tx,
    "SELECT country_id, country_name, country_name_es, country_name_en FROM public.countries", "staging.etl_countries_raw");
  await tx.file(sqlFile("stage/cast-raw-countries"));
  await tx.file(sqlFile("stage/analyze"));
}

async function copyBetween(from: Sql<{}>, to: Tx, query: string, table: string): Promise<void> {
  const readable = await from.unsafe(`COPY (${query}) TO STDOUT`).readable();
  const writable = await to.unsafe(`COPY ${table} FROM STDIN`).writable();
  try {
    await pipeline(readable, writable);
  } finally {
    // postgres.js 3.4.9 pauses the socket when the stream's buffer is full; if that happens
    // on the last CopyData, nothing resumes it after the end and the pooled connection then
    // hangs every later query (the readable hang of porsager/postgres#917). The stream's own
    // read hook resumes the socket; calling it once after the end is harmless otherwise.
    (readable as unknown as { _read(size: number): void })._read(0);
  }
}

function integer(n: number): number {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return n;
}

function timestamp(text: string): string {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(text)) throw new Error(`not a timestamp: ${text}`);
  return text;
}

function idList(ids: string | null | undefined): string {
  if (!ids) return "";
  if (!/^-?\d+(,-?\d+)*$/.test(ids)) throw new Error("unexpected id list");
  return ids;
}
