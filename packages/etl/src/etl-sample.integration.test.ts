import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generate, type TestDatabase, loadRealSample } from "@osm-notes/testkit";
import { runEtl } from "./run-etl.ts";
import { emptyBaseTables, factsChecksum, freshDwh, holdBackAfter, restoreAfterCut } from "./etl-test.fixture.ts";

let one: TestDatabase;
let split: TestDatabase;
beforeAll(async () => {
  [one, split] = await Promise.all([freshDwh(), freshDwh()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([one.drop(), split.drop()]);
});

const loadSample = async (db: TestDatabase) => {
  await emptyBaseTables(db.sql);
  await loadRealSample(db.sql);
};

const resetDwh = (db: TestDatabase) =>
  db.sql`TRUNCATE dwh.facts, dwh.fact_hashtags, dwh.note_current_status, dwh.etl_runs, dwh.etl_run_touched, dwh.etl_quarantine CASCADE`;

describe("the 994-note real sample", () => {
  test("a first run loads every action and passes every validation", async () => {
    await loadSample(one);
    const progress: { step: string; rows: unknown }[] = [];
    const report = await runEtl(one.sql, { onProgress: (p) => progress.push(p) });
    expect(report.mode).toBe("first");
    // Every step reports a row count, also utility statements (ANALYZE) that return none.
    expect(progress.filter((p) => typeof p.rows !== "number")).toEqual([]);
    expect(progress.map((p) => p.step)).toContain("analyze");
    expect(report.factsInserted).toBe(2211);
    expect(report.validation!.map((v) => `${v.check_name}: ${v.status}`)).toEqual([
      "MON-001: Notes closed but have reopen after last close: PASS",
      "MON-001: Notes marked as open but last action is closed: PASS",
      "MON-001: note_current_status matches most recent action in facts: PASS",
      "MON-002: Total comment count match: PASS",
      "MON-002: Per-note comment count matches: PASS",
      "MON-002: Action type distribution matches: PASS",
      "DWH-001: Default fact partition is empty: PASS",
      "DWH-002: No duplicate (id_note, sequence_action) in facts: PASS",
      "DWH-003: Fact dimension ids exist: PASS",
      "DWH-004: Base notes with actions have facts: PASS",
      "DWH-005: Note status context matches facts: PASS",
    ]);
    // 4 notes lack an opened action (one of them has no actions at all); 5 have no country.
    expect(report.warnings).toMatchObject({ no_opened_action: 1, unknown_country: 5 });
    const [counts] = await one.sql`
      SELECT (SELECT count(*)::int FROM dwh.note_current_status) AS status_rows,
             (SELECT count(*)::int FROM dwh.note_current_status WHERE is_currently_open) AS open_notes,
             (SELECT count(DISTINCT user_id)::int FROM dwh.dimension_users WHERE user_id <> -1) AS users,
             (SELECT count(*)::int FROM dwh.facts WHERE action_comment = 'opened' AND opened_dimension_id_user IS NULL) AS opened_without_user`;
    // 104 open: the 96 open in the base tables plus 8 notes whose closed_at is set in the dump
    // while their closing action is missing (base-tables.md §5): the DWH follows the events.
    expect(counts).toEqual({ status_rows: 991, open_notes: 104, users: 841, opened_without_user: 0 });
  });

  test("a second run finds nothing new and changes nothing", async () => {
    const before = await factsChecksum(one.sql);
    const again = await runEtl(one.sql);
    expect(again).toMatchObject({ mode: "incremental", factsInserted: 0, factsUpdated: 0 });
    expect(await factsChecksum(one.sql)).toEqual(before);
  });

  test("history cut in three runs gives exactly the facts of one first run", async () => {
    await loadSample(split);
    const cuts = ["2016-06-30 23:59:59", "2022-01-01 00:00:00"];
    await holdBackAfter(split.sql, cuts[0]!);
    const modes = [(await runEtl(split.sql)).mode];
    for (const cut of [...cuts.slice(1), "9999-12-31 00:00:00"]) {
      await restoreAfterCut(split.sql, cut);
      modes.push((await runEtl(split.sql, { validate: true, lookbackHours: 24 * 365 * 20 })).mode);
    }
    expect(modes).toEqual(["first", "incremental", "incremental"]);
    expect(await factsChecksum(split.sql)).toEqual(await factsChecksum(one.sql));
  });

  test("--full rebuilds to the same facts", async () => {
    const before = await factsChecksum(one.sql);
    const full = await runEtl(one.sql, { mode: "full" });
    expect(full).toMatchObject({ mode: "full", factsInserted: 2211 });
    expect(await factsChecksum(one.sql)).toEqual(before);
  });
});

describe("generated data", () => {
  test("100 000 notes: one first run equals a first run plus incremental runs at several cuts", async () => {
    // The two databases are independent: prepared and loaded side by side.
    await Promise.all(
      [one, split].map(async (db) => {
        await resetDwh(db);
        await generate(db.sql, { notes: 100_000, seed: 11, replace: true });
      }),
    );
    const cuts = ["2015-01-01 00:00:00", "2019-07-01 00:00:00", "2023-03-15 12:00:00", "2025-11-01 00:00:00"];
    const loadSplit = async () => {
      await holdBackAfter(split.sql, cuts[0]!);
      await runEtl(split.sql, { validate: false });
      for (const cut of [...cuts.slice(1), "9999-12-31 00:00:00"]) {
        await restoreAfterCut(split.sql, cut);
        // The restored rows are all after the previous run's watermark: the default look-back
        // stages exactly them (a 20-year look-back restaged the whole history every run).
        await runEtl(split.sql, { validate: false });
      }
    };
    // Validation is covered above; here it would only add a pass over the facts per run.
    await Promise.all([runEtl(one.sql, { validate: false }), loadSplit()]);
    const [whole, parts] = [await factsChecksum(one.sql), await factsChecksum(split.sql)];
    expect(parts.facts).toBeGreaterThan(250_000);
    expect(parts).toEqual(whole);
    // The scale (100 k notes, about 290 k facts): about 45 s on an idle 2-core machine,
    // several times that while CI runs other packages' tests beside it.
  }, 900_000);
});
