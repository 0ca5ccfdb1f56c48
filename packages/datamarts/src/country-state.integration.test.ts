// The countries finish their whole-history metrics from aggregate state (migration 0033,
// countries/state_*.sql, countries/counts.sql), the users from their actions. Both must mean
// the same: here every countries family computed from the state equals the same family
// computed from the countries' actions the way the users' are (users/counts.sql and the shared
// files), on the real sample.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, loadRealSample, markBaseLoadComplete, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { sqlFile } from "./_sql-files.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  await loadRealSample(db.sql);
  await markBaseLoadComplete(db.sql);
  await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
}, 120_000);
afterAll(() => db.drop(), 30_000);

class Rollback extends Error {}

const LABELS = { label_all: "username", label_year: "username", id_key: "user_id" };
/** Family table ← [file from the actions, file from the state]. */
const FAMILIES: Record<string, [string, string]> = {
  dm_firsts: ["shared/firsts", "countries/firsts"],
  dm_history: ["shared/history", "shared/history"],
  dm_patterns: ["shared/patterns", "countries/patterns"],
  dm_dates: ["shared/dates", "shared/dates"],
  dm_rankings: ["shared/rankings", "shared/rankings"],
  dm_hashtags: ["shared/hashtags", "shared/hashtags"],
  dm_working_hours: ["shared/working_hours", "shared/working_hours"],
  dm_applications: ["shared/applications", "shared/applications"],
  dm_comments: ["shared/comments", "countries/comments"],
  dm_resolution: ["shared/resolution", "shared/resolution"],
};

test("every countries family gives the same rows from the state as from the actions", async () => {
  const compared: Record<string, { rows: number; differing: number }> = {};
  await db.sql
    .begin(async (tx) => {
      await tx.unsafe("SET LOCAL TimeZone = 'UTC'");
      await tx.unsafe(sqlFile("shared/concepts"));
      await tx.unsafe(sqlFile("shared/params"));
      await tx.unsafe(
        `INSERT INTO dm_p SELECT d, date_trunc('year', d)::date, date_trunc('month', d)::date, d - 30, d - 370, '-infinity'
         FROM (SELECT '2025-11-20'::date AS d) x`,
      );
      await tx.unsafe("INSERT INTO dm_sw (from_fact) VALUES (0)");
      await tx.unsafe(sqlFile("countries/state_clear"));
      await tx.unsafe(sqlFile("countries/state_delta"));
      await tx.unsafe(sqlFile("countries/state_merge"));
      await tx.unsafe(sqlFile("countries/scope_all"));
      await tx.unsafe(sqlFile("countries/facts"));

      await tx.unsafe(sqlFile("users/counts"));
      for (const [table, [fromActions]] of Object.entries(FAMILIES)) {
        await tx.unsafe(sqlFile(fromActions, LABELS));
        await tx.unsafe(`ALTER TABLE ${table} RENAME TO ${table}_actions`);
      }
      // The 10 longest resolutions, as countries/extras.sql read them from the actions.
      await tx.unsafe(
        `CREATE TEMP TABLE dm_longest_actions AS
         SELECT ek, id_note, dtr AS days, d AS closed_on FROM (
           SELECT x.*, row_number() OVER (PARTITION BY ek ORDER BY dtr DESC, id_note DESC) AS pos
           FROM (SELECT DISTINCT ON (ek, id_note) ek, id_note, dtr, d FROM dm_f
                 WHERE ty = 'closed' AND dtr > 0 ORDER BY ek, id_note, dtr DESC, d DESC) x) y
         WHERE pos <= 10`,
      );
      await tx.unsafe("CREATE TEMP TABLE dm_longest AS SELECT country_id AS ek, id_note, days, closed_on FROM dwh.datamart_country_longest");

      await tx.unsafe(sqlFile("countries/counts"));
      for (const [, [, fromState]] of Object.entries(FAMILIES)) await tx.unsafe(sqlFile(fromState, LABELS));

      for (const table of [...Object.keys(FAMILIES), "dm_longest"]) {
        // The columns of the state's table (firsts from the actions has one more the countries do not store).
        const cols = (await tx.unsafe(`SELECT * FROM ${table} LIMIT 0`)).columns.map((c) => c.name).join(", ");
        const [r] = await tx.unsafe<{ rows: number; differing: number }[]>(
          `SELECT (SELECT count(*)::integer FROM ${table}) AS rows,
                  (SELECT count(*)::integer FROM ((SELECT ${cols} FROM ${table} EXCEPT ALL SELECT ${cols} FROM ${table}_actions)
                                                  UNION ALL (SELECT ${cols} FROM ${table}_actions EXCEPT ALL SELECT ${cols} FROM ${table})) x) AS differing`,
        );
        compared[table] = r!;
      }
      throw new Rollback(); // the temporary tables and the state go with the transaction
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  const expected: Record<string, { rows: number; differing: number }> = {};
  for (const [table, r] of Object.entries(compared)) {
    expect(r.rows).toBeGreaterThan(table === "dm_hashtags" ? 0 : 5);
    expected[table] = { rows: r.rows, differing: 0 };
  }
  expect(Object.keys(compared)).toHaveLength(Object.keys(FAMILIES).length + 1);
  expect(compared).toEqual(expected);
});
