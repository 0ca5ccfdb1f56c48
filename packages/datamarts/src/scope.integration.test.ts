// Touched-scope builds after several (simulated) ETL runs equal a full rebuild, column by
// column; the daily pass keeps time-relative fields right for untouched rows; a failed or
// concurrent build changes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { buildDatamarts, DatamartsError } from "./index.ts";
import { Fixture } from "./_test-fixture.ts";
import { ALICE, BOB, CAROL, COLOMBIA, DAVE, GERMANY, TODAY, loadCraftedData } from "./_crafted-data.ts";
import { snapshot } from "./_test-etl.ts";

let db: TestDatabase;
let fx: Fixture;
const DAY = 86_400_000;

/** Rebuilds everything into the same tables and returns that snapshot, leaving the watermark as it was. */
async function fullRebuildSnapshot(asOf: Date): Promise<Record<string, unknown[]>> {
  const [state] = await db.sql`SELECT jsonb_agg(to_jsonb(s)) AS j FROM dwh.datamart_state s`;
  await buildDatamarts(db.sql, { scope: "all", asOf });
  const snap = await snapshot(db.sql);
  await db.sql`UPDATE dwh.datamart_state s SET last_etl_run_id = (x->>'last_etl_run_id')::bigint,
                 time_relative_date = (x->>'time_relative_date')::date
               FROM jsonb_array_elements(${state!.j}::jsonb) x WHERE s.datamart = x->>'datamart'`;
  return snap;
}

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  fx = new Fixture(db.sql);
  await loadCraftedData(fx);
}, 60_000);
afterAll(() => db.drop(), 30_000);

describe("touched scope", () => {
  test("the first build is a full build whatever was asked", async () => {
    const report = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(report.datamarts.map((d) => [d.datamart, d.scope, d.entities])).toEqual([
      ["users", "all", 4],
      ["countries", "all", 2],
      ["global", "all", 1],
    ]);
  });

  test("after several ETL runs, touched builds equal a full rebuild (every column)", async () => {
    // Run 1: bob closes N2 (alicia's note in Colombia); a new user eve opens N8 in Germany.
    await fx.user(105, "eve");
    await fx.extendNote({
      id: 2,
      country: COLOMBIA,
      actions: [
        { at: "2026-01-02 10:00", type: "opened", user: ALICE, text: "#mapathon #mapathon shop", app: "MapComplete" },
        { at: "2026-03-01 12:00", type: "commented", user: CAROL, text: "ok" },
        { at: "2026-03-15 09:00", type: "closed", user: BOB, text: "Solved #mapathon" },
      ],
    });
    await fx.note({ id: 8, country: GERMANY, actions: [{ at: "2026-03-15 10:00", type: "opened", user: 105, text: "new #tag" }] });
    await fx.etlRun({ notes: [2, 8], users: [BOB, 105], countries: [COLOMBIA, GERMANY] });
    const r1 = await buildDatamarts(db.sql, { asOf: TODAY });
    const users1 = r1.datamarts.find((d) => d.datamart === "users")!;
    // bob and eve acted; alicia opened N2 (opener), carol commented on it. dave is untouched.
    expect(users1.scope).toBe("touched");
    expect(users1.entities).toBe(4);
    expect(users1.etlRuns).toEqual({ from: 0, to: 1 });

    // Run 2: carol is renamed (no action), dave comments on N3 in Germany.
    await fx.user(CAROL, "caroline", new Date().toISOString().replace("T", " ").slice(0, 23));
    await fx.extendNote({
      id: 3,
      country: GERMANY,
      actions: [
        { at: "2025-12-31 23:00", type: "opened", user: BOB, text: "Tree", app: "OrganicMaps", version: "15.3" },
        { at: "2026-01-01 01:00", type: "closed", user: ALICE, text: "done" },
        { at: "2026-03-15 11:00", type: "commented", user: DAVE, text: "@bob thanks https://x.org" },
      ],
    });
    await fx.etlRun({ notes: [3], users: [DAVE], countries: [GERMANY] });
    const r2 = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r2.datamarts.find((d) => d.datamart === "users")!.etlRuns).toEqual({ from: 1, to: 2 });

    const incremental = await snapshot(db.sql);
    const full = await fullRebuildSnapshot(TODAY);
    expect(incremental).toEqual(full);
    // The rename reached the country rankings without any action in Colombia.
    const [col] = await db.sql`SELECT users_solving_notes FROM dwh.datamartcountries WHERE country_id = ${COLOMBIA}`;
    expect(JSON.stringify(col!.users_solving_notes)).toContain("caroline");
  });

  test("a build with nothing touched changes nothing", async () => {
    const before = await snapshot(db.sql);
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.filter((d) => d.datamart !== "global").map((d) => [d.entities, d.rowsWritten, d.timeRelativeRows])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(await snapshot(db.sql)).toEqual(before);
  });

  test("a rename by an ETL run still going during a build reaches the country rankings in the next build", async () => {
    // An ETL run starts; its rename is dated by its transaction's start (users-insert.sql) …
    const [run] = await db.sql<{ run_id: string; renamed_at: string }[]>`
      INSERT INTO dwh.etl_runs (mode, status) VALUES ('incremental', 'running')
      RETURNING run_id::text, (started_at + interval '1 millisecond')::text AS renamed_at`;
    // … a build runs meanwhile and cannot see the rename, not committed yet …
    await buildDatamarts(db.sql, { asOf: TODAY });
    const late = await db.sql<{ datamart: string }[]>`SELECT datamart FROM dwh.datamart_state WHERE last_build_at >= ${run!.renamed_at}::timestamp`;
    expect(late.map((r) => r.datamart)).toEqual([]);
    // … then the run commits it, dated before that build ended.
    await fx.user(CAROL, "carolina", run!.renamed_at);
    await db.sql`INSERT INTO dwh.etl_run_touched (run_id, entity, entity_id) VALUES (${run!.run_id}, 'user', ${CAROL})`;
    await db.sql`UPDATE dwh.etl_runs SET status = 'succeeded', finished_at = now() AT TIME ZONE 'UTC' WHERE run_id = ${run!.run_id}`;
    await buildDatamarts(db.sql, { asOf: TODAY });
    const [col] = await db.sql`SELECT users_solving_notes FROM dwh.datamartcountries WHERE country_id = ${COLOMBIA}`;
    expect(JSON.stringify(col!.users_solving_notes)).toContain("carolina");
    expect(await snapshot(db.sql)).toEqual(await fullRebuildSnapshot(TODAY));
  });

  test("global alone brings the countries' state up to date; a note that changed country counts once in global", async () => {
    const opened = { at: "2026-03-14 08:00", type: "opened", user: DAVE, text: "bench" } as const;
    const closed = { at: "2026-03-14 09:00", type: "closed", user: BOB, text: "done" } as const;
    await fx.note({ id: 12, country: COLOMBIA, actions: [opened, closed] });
    await fx.etlRun({ notes: [12], users: [DAVE, BOB], countries: [COLOMBIA] });
    await buildDatamarts(db.sql, { asOf: TODAY });
    // The note's country is corrected to Germany: the next run loads its new actions there,
    // the facts loaded before stay in Colombia.
    await fx.extendNote({
      id: 12,
      country: GERMANY,
      actions: [
        opened,
        closed,
        { at: "2026-03-14 10:00", type: "reopened", user: DAVE, text: "not yet" },
        { at: "2026-03-14 11:00", type: "closed", user: ALICE, text: "now" },
      ],
    });
    await db.sql`UPDATE dwh.facts SET dimension_id_country =
                   (SELECT dimension_country_id FROM dwh.dimension_countries WHERE country_id = ${COLOMBIA})
                 WHERE id_note = 12 AND sequence_action <= 2`;
    await fx.etlRun({ notes: [12], users: [DAVE, ALICE], countries: [GERMANY] });

    const g = await buildDatamarts(db.sql, { asOf: TODAY, only: "global" });
    expect(g.datamarts.map((d) => d.datamart)).toEqual(["global"]);
    expect(Object.keys(g.datamarts[0]!.families)).toContain("state:merge");
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.find((d) => d.datamart === "countries")!.entities).toBeGreaterThan(0);
    expect(await snapshot(db.sql)).toEqual(await fullRebuildSnapshot(TODAY));

    const [counts] = await db.sql<{ global: number; countries: number; facts: number }[]>`
      SELECT (SELECT notes_resolved_count FROM dwh.datamartglobal) AS global,
             (SELECT sum(notes_resolved_count)::integer FROM dwh.datamartcountries) AS countries,
             (SELECT count(DISTINCT id_note)::integer FROM dwh.facts WHERE action_comment = 'closed') AS facts`;
    expect(counts).toEqual({ global: counts!.facts, countries: counts!.facts + 1, facts: counts!.facts });
  });

  test("a user whose new actions a run still going had committed is recomputed in full once it finishes", async () => {
    // Users whose own actions are all older than the users' fact watermark are recomputed only
    // in what others' actions change; the watermark must not pass facts whose run is not done.
    const [run] = await db.sql<{ run_id: string }[]>`
      INSERT INTO dwh.etl_runs (mode, status) VALUES ('incremental', 'running') RETURNING run_id::text`;
    await fx.note({ id: 13, country: GERMANY, actions: [{ at: "2026-03-14 12:00", type: "opened", user: DAVE, text: "late" }] });
    await buildDatamarts(db.sql, { asOf: TODAY });
    await db.sql`INSERT INTO dwh.etl_run_touched (run_id, entity, entity_id)
                 VALUES (${run!.run_id}, 'note', 13), (${run!.run_id}, 'user', ${DAVE}), (${run!.run_id}, 'country', ${GERMANY})`;
    await db.sql`UPDATE dwh.etl_runs SET status = 'succeeded', finished_at = now() AT TIME ZONE 'UTC' WHERE run_id = ${run!.run_id}`;
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.find((d) => d.datamart === "users")!.families["scope:passive"]!.rows).toBe(0);
    expect(await snapshot(db.sql)).toEqual(await fullRebuildSnapshot(TODAY));
  });

  test("the first build of a new day recomputes every row's time-relative fields", async () => {
    for (const days of [1, 40, 400]) {
      const asOf = new Date(TODAY.getTime() + days * DAY);
      const r = await buildDatamarts(db.sql, { asOf });
      expect(r.datamarts.find((d) => d.datamart === "users")!.timeRelativeRows).toBeGreaterThan(0);
      expect(await snapshot(db.sql)).toEqual(await fullRebuildSnapshot(asOf));
    }
  });
});

/**
 * Loads a new note (id `id`, opened at `at`), then runs a build that fails at `failAt`:
 * the build is cancelled and leaves every datamart row and watermark as they were.
 */
async function expectFailedBuildChangesNothing(
  id: number,
  at: string,
  failAt: { datamart: string; step: string; shard?: number },
  scope: "touched" | "all" = "touched",
): Promise<void> {
  await fx.note({ id, country: COLOMBIA, actions: [{ at, type: "opened", user: DAVE, text: `note ${id}` }] });
  await fx.etlRun({ notes: [id] });
  const before = await snapshot(db.sql);
  const state = await db.sql`SELECT * FROM dwh.datamart_state ORDER BY datamart`;
  const failing = buildDatamarts(db.sql, {
    asOf: TODAY,
    scope,
    onProgress: (p) => {
      if (p.datamart === failAt.datamart && p.step === failAt.step && (failAt.shard === undefined || p.shard === failAt.shard))
        throw new Error("killed");
    },
  });
  await expect(failing).rejects.toMatchObject({ name: "DatamartsError", code: "cancelled" });
  expect(await snapshot(db.sql)).toEqual(before);
  expect(await db.sql`SELECT * FROM dwh.datamart_state ORDER BY datamart`).toEqual(state);
}

describe("atomicity", () => {
  test("a build that fails midway leaves the previous rows and the watermark intact", async () => {
    await expectFailedBuildChangesNothing(9, "2026-03-15 12:00", { datamart: "countries", step: "upsert" });
    // The next build picks the run up.
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.find((d) => d.datamart === "users")!.entities).toBeGreaterThan(0);
  });

  test("users failing on the main connection rolls back countries built beside it", async () => {
    // The last users step: countries, on the other connection, has usually written its rows
    // by then and waits to commit; either way nothing may stay.
    await expectFailedBuildChangesNothing(10, "2026-03-16 12:00", { datamart: "users", step: "clear-modified" });
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.find((d) => d.datamart === "countries")!.entities).toBeGreaterThan(0);
  });

  test("the users part on the second connection failing rolls back the main part and everything else", async () => {
    // A full build: the one that splits the users when there are other datamarts to build.
    await expectFailedBuildChangesNothing(11, "2026-03-17 12:00", { datamart: "users", shard: 1, step: "clear-modified" }, "all");
    const r = await buildDatamarts(db.sql, { asOf: TODAY });
    expect(r.datamarts.find((d) => d.datamart === "users")!.entities).toBeGreaterThan(0);
  });

  test("a second concurrent build fails fast with code locked", async () => {
    await db.sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('osm-notes-analytics:datamarts'))`;
      const err = await buildDatamarts(db.sql, { asOf: TODAY }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatamartsError);
      expect((err as DatamartsError).code).toBe("locked");
    });
  });

  test("bad options are refused", async () => {
    await expect(buildDatamarts(db.sql, { only: "planets" as never })).rejects.toMatchObject({ code: "invalid_argument" });
  });
});
