import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freshDatabase, loadNotesXml, openNotesFile, sharedDataPath, type TestDatabase } from "@osm-notes/testkit";
import { EtlError } from "./etl-error.ts";
import { runEtl } from "./run-etl.ts";
import { dwhOnlyTemplate, emptyBaseTables, factsChecksum, freshDwh } from "./etl-test.fixture.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDwh();
  await emptyBaseTables(db.sql);
  // Ingestion's foreign keys would refuse these rows; a broken or hand-made base may not have them.
  await db.sql`ALTER TABLE note_comments DROP CONSTRAINT fk_notes, DROP CONSTRAINT fk_users`;
  await db.sql`ALTER TABLE note_comments_text DROP CONSTRAINT fk_note_comment_uniq`;
  await db.sql`INSERT INTO users VALUES (1, 'alice')`;
  await db.sql`INSERT INTO countries (country_id, country_name) VALUES (100, 'Testland')`;
  // Note 4 is missing (its action is an orphan); note 5 sets the snapshot above it.
  await db.sql`INSERT INTO notes (note_id, latitude, longitude, created_at, id_country) VALUES
    (1, 0, 0, '2020-01-01', 999), (2, 0, 0, '2020-01-01', NULL), (3, 0, 0, '2020-01-01', NULL), (5, 0, 0, '2020-01-04', 100)`;
  await db.sql`INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user) VALUES
    (1, 1, 'opened', '2020-01-01', 1),
    (2, 1, 'opened', '2020-01-01', 77),
    (3, 1, 'commented', '2020-01-02', 1),
    (3, 2, 'opened', '2999-01-01', 1),
    (4, 1, 'opened', '2020-01-03', 1),
    (5, 1, 'opened', '2020-01-04', 1)`;
}, 60_000);
afterAll(() => db.drop());

const quarantine = async () =>
  (await db.sql`SELECT reason, rejected, note_id, sequence_action, user_id, resolved_at IS NOT NULL AS resolved
                FROM dwh.etl_quarantine ORDER BY reason, note_id NULLS FIRST, user_id`).map((r) => ({ ...r }));

describe("bad base rows are counted and kept, never fatal, never silently dropped", () => {
  test("first run: orphan and future actions rejected; unknown country, missing user, no opening loaded", async () => {
    const report = await runEtl(db.sql);
    expect(report.factsInserted).toBe(4); // 1/1, 2/1, 3/1, 5/1
    expect(report.quarantined).toBe(2);
    expect(await quarantine()).toEqual([
      { reason: "future_created_at", rejected: true, note_id: 3, sequence_action: 2, user_id: 1, resolved: false },
      { reason: "missing_user", rejected: false, note_id: null, sequence_action: null, user_id: 77, resolved: false },
      { reason: "no_opened_action", rejected: false, note_id: 3, sequence_action: null, user_id: null, resolved: false },
      { reason: "orphan_action", rejected: true, note_id: 4, sequence_action: 1, user_id: 1, resolved: false },
      { reason: "unknown_country", rejected: false, note_id: 1, sequence_action: null, user_id: null, resolved: false },
      { reason: "unknown_country", rejected: false, note_id: 2, sequence_action: null, user_id: null, resolved: false },
      { reason: "unknown_country", rejected: false, note_id: 3, sequence_action: null, user_id: null, resolved: false },
    ]);
    // The unknown user still owns its action (a nameless current row), and MON-002 counts only loadable rows.
    const [user] = await db.sql`SELECT username, is_current FROM dwh.dimension_users WHERE user_id = 77`;
    expect(user).toEqual({ username: null, is_current: true });
    expect(report.validation!.filter((v) => v.check_name.startsWith("MON-002") && v.status !== "PASS")).toEqual([]);
    expect(report.warnings).toMatchObject({ rejected: 2, no_opened_action: 1, unknown_country: 3, missing_user: 1 });
  });

  test("a rerun does not duplicate quarantine entries", async () => {
    await runEtl(db.sql);
    expect((await quarantine()).length).toBe(7);
  });

  test("an orphan whose note arrives later is loaded by the next run and resolved", async () => {
    await db.sql`INSERT INTO notes (note_id, latitude, longitude, created_at, id_country) VALUES (4, 0, 0, '2020-01-03', NULL)`;
    await db.sql`INSERT INTO users VALUES (77, 'late name')`;
    const report = await runEtl(db.sql);
    expect(report.factsInserted).toBe(1);
    const orphan = (await quarantine()).find((q) => q.reason === "orphan_action");
    expect(orphan).toMatchObject({ note_id: 4, resolved: true });
    const [named] = await db.sql`SELECT username FROM dwh.dimension_users WHERE user_id = 77 AND is_current`;
    expect(named!.username).toBe("late name");
    // …and its missing_user warning is resolved with it.
    expect((await quarantine()).find((q) => q.reason === "missing_user")).toMatchObject({ user_id: 77, resolved: true });
  });

  test("a note whose opened action arrives later has its no_opened_action warning resolved", async () => {
    await db.sql`UPDATE note_comments SET created_at = '2020-01-02 12:00' WHERE note_id = 3 AND sequence_action = 2`;
    const report = await runEtl(db.sql);
    expect(report.factsInserted).toBe(1);
    const q = await quarantine();
    expect(q.find((e) => e.reason === "no_opened_action")).toMatchObject({ note_id: 3, resolved: true });
    expect(q.find((e) => e.reason === "future_created_at")).toMatchObject({ note_id: 3, resolved: true });
    // Still unresolved: the unknown countries of notes 1 to 4 (none of them got a country).
    expect(q.filter((e) => !e.resolved).map((e) => `${e.reason} ${e.note_id}`)).toEqual(
      [1, 2, 3, 4].map((note) => `unknown_country ${note}`),
    );
  });
});

describe("preconditions name what is missing and what to do", () => {
  test("missing base tables", async () => {
    const bare = await freshDatabase(dwhOnlyTemplate);
    try {
      const error = await runEtl(bare.sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EtlError);
      expect((error as EtlError).code).toBe("base_tables_missing");
      expect((error as EtlError).message).toContain("public.notes");
      expect((error as EtlError).hint).toContain("load-planet");
    } finally {
      await bare.drop();
    }
  });

  test("base load not complete", async () => {
    await db.sql`UPDATE properties SET value = 'false' WHERE key = 'base_load_complete'`;
    const error = await runEtl(db.sql).catch((e: unknown) => e);
    expect((error as EtlError).code).toBe("base_load_incomplete");
    await db.sql`UPDATE properties SET value = 'true' WHERE key = 'base_load_complete'`;
  });
});

describe("base tables in a separate ingestion database", () => {
  test("streams the same rows by COPY and builds the same facts as the same-database path", async () => {
    const [same, ingestion, dwh] = await Promise.all([freshDwh(), freshDwh(), freshDatabase(dwhOnlyTemplate)]);
    try {
      const load = (target: TestDatabase) =>
        loadNotesXml(target.sql, openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-98-edgecases.osn.xml")), {
          countriesCsv: sharedDataPath("derived/countries-from-published-index.csv"),
        }).then(() => emptyBaseTablesFlag(target));
      await Promise.all([load(same), load(ingestion)]);
      const sameReport = await runEtl(same.sql);
      const copyReport = await runEtl(dwh.sql, { ingestion: ingestion.sql });
      expect(copyReport.factsInserted).toBe(397);
      expect(copyReport.factsInserted).toBe(sameReport.factsInserted);
      expect(await factsChecksum(dwh.sql)).toEqual(await factsChecksum(same.sql));
      // Without base tables beside the dwh, MON-002 says SKIP instead of failing.
      expect(copyReport.validation!.find((v) => v.check_name.startsWith("MON-002"))).toMatchObject({ status: "SKIP" });

      // Incremental: only the delta travels.
      for (const target of [same, ingestion]) {
        await target.sql`INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
                         SELECT note_id, max(sequence_action) + 1, 'commented',
                                (SELECT max(created_at) FROM note_comments) + interval '1 hour', NULL
                         FROM note_comments GROUP BY note_id ORDER BY note_id LIMIT 5`;
      }
      const [a, b] = [await runEtl(same.sql), await runEtl(dwh.sql, { ingestion: ingestion.sql })];
      expect(b.factsInserted).toBe(5);
      expect(a.factsInserted).toBe(5);
      expect(await factsChecksum(dwh.sql)).toEqual(await factsChecksum(same.sql));
    } finally {
      await Promise.all([same.drop(), ingestion.drop(), dwh.drop()]);
    }
  }, 60_000);
});

async function emptyBaseTablesFlag(target: TestDatabase) {
  await target.sql`INSERT INTO properties (key, value) VALUES ('base_load_complete', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`;
}
