// The countries compute the "patterns" family with their own file (counts per day and hour of
// week, faster for a few entities with many actions); the users keep shared/patterns.sql. Both
// must give the same rows: checked here on the real sample, over the users' and the countries'
// actions (many entities, few actions each, and a few with many).
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

test("countries/patterns.sql gives the rows of shared/patterns.sql", async () => {
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
      for (const kind of ["users", "countries"]) {
        await tx.unsafe("TRUNCATE dm_scope");
        await tx.unsafe(sqlFile(`${kind}/scope_all`));
        await tx.unsafe(sqlFile(`${kind}/facts`));
        await tx.unsafe(sqlFile("shared/patterns"));
        await tx.unsafe("ALTER TABLE dm_patterns RENAME TO dm_patterns_shared");
        await tx.unsafe(sqlFile("countries/patterns"));
        const [r] = await tx.unsafe<{ rows: number; differing: number }[]>(
          `SELECT (SELECT count(*)::integer FROM dm_patterns) AS rows,
                  (SELECT count(*)::integer FROM ((TABLE dm_patterns EXCEPT ALL TABLE dm_patterns_shared)
                                                  UNION ALL (TABLE dm_patterns_shared EXCEPT ALL TABLE dm_patterns)) x) AS differing`,
        );
        compared[kind] = r!;
        await tx.unsafe("DROP TABLE dm_patterns_shared");
      }
      throw new Rollback(); // the temporary tables go with the transaction
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  expect(compared.users!.rows).toBeGreaterThan(100);
  expect(compared.countries!.rows).toBeGreaterThan(10);
  expect(compared).toEqual({ users: { rows: compared.users!.rows, differing: 0 }, countries: { rows: compared.countries!.rows, differing: 0 } });
});
