import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TransactionSql } from "postgres";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate, rows } from "./index.ts";

const template = { name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } };
type Tx = TransactionSql<{}>;
type Check = { check_name: string; status: string; issue_count: number };

async function checks(sql: Sql | Tx, fn: string): Promise<Check[]> {
  const found = await sql.unsafe(`SELECT * FROM dwh.${fn}()`);
  return found.map((r) => {
    const { check_name, status, issue_count } = rows.validation_check.parse(r);
    return { check_name, status, issue_count };
  });
}

const ALL_PASS_001: Check[] = [
  { check_name: "MON-001: Notes closed but have reopen after last close", status: "PASS", issue_count: 0 },
  { check_name: "MON-001: Notes marked as open but last action is closed", status: "PASS", issue_count: 0 },
  { check_name: "MON-001: note_current_status matches most recent action in facts", status: "PASS", issue_count: 0 },
];
const ALL_PASS_002: Check[] = [
  { check_name: "MON-002: Total comment count match", status: "PASS", issue_count: 0 },
  { check_name: "MON-002: Per-note comment count matches", status: "PASS", issue_count: 0 },
  { check_name: "MON-002: Action type distribution matches", status: "PASS", issue_count: 0 },
];
const ALL_PASS_DWH: Check[] = [
  { check_name: "DWH-001: Default fact partition is empty", status: "PASS", issue_count: 0 },
  { check_name: "DWH-002: No duplicate (id_note, sequence_action) in facts", status: "PASS", issue_count: 0 },
  { check_name: "DWH-003: Fact dimension ids exist", status: "PASS", issue_count: 0 },
  { check_name: "DWH-004: Base notes with actions have facts", status: "PASS", issue_count: 0 },
  { check_name: "DWH-005: Note status context matches facts", status: "PASS", issue_count: 0 },
];

describe("on an empty warehouse", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(template);
  }, 60_000);
  afterAll(() => db.drop(), 30_000);

  test("every check passes", async () => {
    expect(await checks(db.sql, "validate_note_current_status")).toEqual(ALL_PASS_001);
    expect(await checks(db.sql, "validate_comment_counts")).toEqual(ALL_PASS_002);
    expect(await checks(db.sql, "validate_dwh_integrity")).toEqual(ALL_PASS_DWH);
  });
});

describe("without base tables (separate ingestion database)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase({ name: "dwh_no_base", prepare: async (sql) => void (await migrate(sql)) });
  }, 60_000);
  afterAll(() => db.drop(), 30_000);

  test("validate_comment_counts answers the single SKIP row; the integrity check skips DWH-004", async () => {
    expect(await checks(db.sql, "validate_comment_counts")).toEqual([
      { check_name: "MON-002: Base table availability check", status: "SKIP", issue_count: 0 },
    ]);
    expect((await checks(db.sql, "validate_dwh_integrity")).slice(-2)).toEqual([
      { check_name: "DWH-004: Base notes with actions have facts", status: "SKIP", issue_count: 0 },
      { check_name: "DWH-005: Note status context matches facts", status: "PASS", issue_count: 0 },
    ]);
    expect(await checks(db.sql, "validate_note_current_status")).toEqual(ALL_PASS_001);
  });
});

// Three notes by hand, base tables and dwh in step:
//   1: opened, commented, closed      → closed
//   2: opened, closed, reopened       → open
//   3: opened                         → open
const ACTIONS: [note: number, seq: number, event: string, at: string][] = [
  [1, 1, "opened", "2020-01-01 10:00"], [1, 2, "commented", "2020-01-02 10:00"], [1, 3, "closed", "2020-01-03 10:00"],
  [2, 1, "opened", "2020-02-01 10:00"], [2, 2, "closed", "2020-02-02 10:00"], [2, 3, "reopened", "2020-02-03 10:00"],
  [3, 1, "opened", "2020-03-01 10:00"],
];

async function fill(sql: Sql): Promise<void> {
  await sql`INSERT INTO public.notes (note_id, latitude, longitude, created_at)
            VALUES (1, 1, 1, '2020-01-01 10:00'), (2, 2, 2, '2020-02-01 10:00'), (3, 3, 3, '2020-03-01 10:00')`;
  for (const [note, seq, event, at] of ACTIONS) {
    await sql`INSERT INTO public.note_comments (note_id, sequence_action, event, created_at)
              VALUES (${note}, ${seq}, ${event}, ${at})`;
    await sql`
      INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
        action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
        opened_dimension_id_date, opened_dimension_id_hour_of_week)
      SELECT ${note}, ${seq}, c.dimension_country_id, ${at}::timestamp, ${event},
             dwh.get_date_id(${at}::timestamp), dwh.get_hour_of_week_id(${at}::timestamp), u.dimension_user_id,
             dwh.get_date_id(n.created_at), dwh.get_hour_of_week_id(n.created_at)
      FROM dwh.dimension_countries c, dwh.dimension_users u, public.notes n
      WHERE c.country_id = -1 AND u.user_id = -1 AND n.note_id = ${note}`;
  }
  await sql`
    INSERT INTO dwh.note_current_status (id_note, dimension_id_country, is_currently_open, last_action_at, last_action_type,
                                         opened_at, first_comment_seq, last_reopen_seq)
    SELECT v.id, c.dimension_country_id, v.open, v.at, v.ev::note_event_enum, v.opened, v.first_comment, v.last_reopen
    FROM dwh.dimension_countries c,
      (VALUES (1, false, timestamp '2020-01-03 10:00', 'closed', timestamp '2020-01-01 10:00', 2, NULL::integer),
              (2, true, timestamp '2020-02-03 10:00', 'reopened', timestamp '2020-02-01 10:00', NULL, 3),
              (3, true, timestamp '2020-03-01 10:00', 'opened', timestamp '2020-03-01 10:00', NULL, NULL))
        AS v (id, open, at, ev, opened, first_comment, last_reopen)
    WHERE c.country_id = -1`;
  // The ETL run that loaded them saw note ids up to 3.
  await sql`INSERT INTO dwh.etl_runs (mode, status, finished_at, snapshot_max_note_id, facts_inserted)
            VALUES ('first', 'succeeded', now() AT TIME ZONE 'UTC', 3, ${ACTIONS.length})`;
}

describe("on a small hand-filled warehouse", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(template);
    await fill(db.sql);
  }, 60_000);
  afterAll(() => db.drop(), 30_000);

  /** Applies `change` in a transaction, reads the checks, rolls back. */
  async function after(change: (tx: Tx) => Promise<unknown>) {
    let result: Record<string, Check[]> = {};
    const rollback = new Error("rollback");
    await db.sql
      .begin(async (tx) => {
        await change(tx);
        result = {
          mon001: await checks(tx, "validate_note_current_status"),
          mon002: await checks(tx, "validate_comment_counts"),
          dwh: await checks(tx, "validate_dwh_integrity"),
        };
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    return result;
  }

  test("a consistent warehouse passes every check", async () => {
    expect(await after(async () => {})).toEqual({ mon001: ALL_PASS_001, mon002: ALL_PASS_002, dwh: ALL_PASS_DWH });
  });

  test("base rows above the last run's snapshot and rejected quarantined rows are not expected in facts", async () => {
    const r = await after(async (tx) => {
      await tx`INSERT INTO public.notes (note_id, latitude, longitude, created_at) VALUES (4, 0, 0, '2020-04-01')`;
      await tx`INSERT INTO public.note_comments (note_id, sequence_action, event, created_at) VALUES (4, 1, 'opened', '2020-04-01'),
                 (3, 2, 'commented', '2020-03-02')`;
      await tx`INSERT INTO dwh.etl_quarantine (reason, rejected, note_id, sequence_action) VALUES ('future_created_at', true, 3, 2)`;
    });
    expect(r.mon002).toEqual(ALL_PASS_002);
    expect(r.dwh).toEqual(ALL_PASS_DWH);
  });

  test("note_current_status out of step with the facts fails MON-001 with counts", async () => {
    const r = await after(async (tx) => {
      // note 2 recorded as closed although it was reopened afterwards
      await tx`UPDATE dwh.note_current_status SET is_currently_open = false, last_action_type = 'closed',
                 last_action_at = '2020-02-02 10:00' WHERE id_note = 2`;
      // note 1 recorded as open although its last state action is a close
      await tx`UPDATE dwh.note_current_status SET is_currently_open = true WHERE id_note = 1`;
    });
    expect(r.mon001).toEqual([
      { check_name: "MON-001: Notes closed but have reopen after last close", status: "FAIL", issue_count: 1 },
      { check_name: "MON-001: Notes marked as open but last action is closed", status: "FAIL", issue_count: 1 },
      { check_name: "MON-001: note_current_status does not match most recent action in facts", status: "FAIL", issue_count: 2 },
    ]);
  });

  test("a note's kept context out of step with its facts fails DWH-005 (MON-001 does not look at it)", async () => {
    const r = await after(async (tx) => {
      await tx`UPDATE dwh.note_current_status SET first_comment_seq = NULL WHERE id_note = 1`; // its comment is seq 2
      await tx`UPDATE dwh.note_current_status SET last_reopen_seq = 2 WHERE id_note = 2`; // reopened at seq 3
      // note 3: a comment loaded after its status was computed
      await tx`INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
                 action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
               SELECT id_note, 9, dimension_id_country, '2020-01-05 10:00', 'commented', 20200105, action_dimension_id_hour_of_week,
                 opened_dimension_id_date, opened_dimension_id_hour_of_week
               FROM dwh.facts WHERE id_note = 3 AND sequence_action = 1`;
    });
    expect(r.mon001).toEqual(ALL_PASS_001);
    expect(r.dwh?.[4]).toEqual({ check_name: "DWH-005: Note status context matches facts", status: "FAIL", issue_count: 3 });
    // The details name the notes and what to do.
    const rollback = new Error("rollback");
    let details = "";
    await db.sql
      .begin(async (tx) => {
        await tx`UPDATE dwh.note_current_status SET opened_at = '2020-03-02' WHERE id_note = 3`;
        [{ details }] = (await tx`SELECT details FROM dwh.validate_dwh_integrity() WHERE check_name LIKE 'DWH-005%'`) as unknown as [{ details: string }];
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    expect(details).toBe("1 notes whose opened_at, first_comment_seq or last_reopen_seq differ from their facts (rebuild them: etl --full): 3");
  });

  test("a note missing from note_current_status is a mismatch", async () => {
    const r = await after((tx) => tx`DELETE FROM dwh.note_current_status WHERE id_note = 3`);
    expect(r.mon001?.[2]).toEqual({
      check_name: "MON-001: note_current_status does not match most recent action in facts", status: "FAIL", issue_count: 1,
    });
  });

  test("a lost and a duplicated fact: totals match, per-note and per-type counts do not; DWH-002 sees the duplicate", async () => {
    const r = await after(async (tx) => {
      await tx`DELETE FROM dwh.facts WHERE id_note = 1 AND sequence_action = 2`;
      await tx`INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
                 action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
               SELECT id_note, sequence_action, dimension_id_country, action_at, action_comment, action_dimension_id_date,
                 action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week
               FROM dwh.facts WHERE id_note = 3`;
    });
    expect(r.mon002).toEqual([
      { check_name: "MON-002: Total comment count match", status: "PASS", issue_count: 0 },
      { check_name: "MON-002: Per-note comment count mismatches", status: "FAIL", issue_count: 2 },
      { check_name: "MON-002: Action type distribution mismatch", status: "FAIL", issue_count: 2 },
    ]);
    expect(r.dwh?.[1]).toEqual({
      check_name: "DWH-002: No duplicate (id_note, sequence_action) in facts", status: "FAIL", issue_count: 1,
    });
  });

  test("a base action with no fact fails the total; a note with no facts at all fails DWH-004", async () => {
    const r = await after((tx) => tx`DELETE FROM dwh.facts WHERE id_note = 3`);
    expect(r.mon002?.[0]).toEqual({ check_name: "MON-002: Total comment count mismatch", status: "FAIL", issue_count: 1 });
    expect(r.dwh?.[3]).toEqual({ check_name: "DWH-004: Base notes with actions have facts", status: "FAIL", issue_count: 1 });
  });

  test("DWH-003 counts dangling references per fact, not per distinct id", async () => {
    const r = await after((tx) => tx`
      UPDATE dwh.facts SET action_dimension_id_user = 999999 WHERE (id_note, sequence_action) IN (SELECT id_note, sequence_action FROM dwh.facts ORDER BY 1, 2 LIMIT 3)`);
    expect(r.dwh?.[2]).toEqual({ check_name: "DWH-003: Fact dimension ids exist", status: "FAIL", issue_count: 3 });
  });

  test("dangling dimension ids fail DWH-003", async () => {
    const r = await after((tx) => tx`
      UPDATE dwh.facts SET action_dimension_id_user = 999999, dimension_application_creation = 424242 WHERE id_note = 1 AND sequence_action = 1`);
    expect(r.dwh?.[2]).toEqual({ check_name: "DWH-003: Fact dimension ids exist", status: "FAIL", issue_count: 2 });
  });
});
