// Generator scale: 5 000 generated notes through the real ETL, loaded in four runs (a first run
// and three incremental ones); the datamarts refreshed with touched builds after each run equal
// a full rebuild, column by column.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, generate, markBaseLoadComplete, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts } from "./index.ts";
import { holdBack, release, snapshot } from "./_test-etl.ts";

let db: TestDatabase;
const asOf = new Date("2025-11-20T12:00:00Z"); // the generator's last day: the time windows hold data

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  await generate(db.sql, { notes: 5_000, seed: 3 });
  await markBaseLoadComplete(db.sql);
}, 120_000);
afterAll(() => db.drop(), 30_000);

test("incremental ETL runs + touched builds equal a full rebuild on generated data", async () => {
  const [q] = await db.sql<{ a: string; b: string; c: string }[]>`
    SELECT percentile_disc(0.7) WITHIN GROUP (ORDER BY created_at)::text AS a,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY created_at)::text AS b,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY created_at)::text AS c
    FROM public.note_comments`;
  await holdBack(db.sql, q!.a);
  await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
  await buildDatamarts(db.sql, { asOf });
  let touchedUsers = 0;
  for (const upTo of [q!.b, q!.c, "9999-01-01"]) {
    await release(db.sql, upTo);
    await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
    const r = await buildDatamarts(db.sql, { asOf });
    expect(r.datamarts[0]!.scope).toBe("touched");
    touchedUsers += r.datamarts[0]!.entities;
  }
  const [all] = await db.sql<{ n: number }[]>`SELECT count(*)::integer AS n FROM dwh.datamartusers`;
  expect(touchedUsers).toBeGreaterThan(0);
  expect(all!.n).toBeGreaterThan(touchedUsers / 3);
  const incremental = await snapshot(db.sql);
  await buildDatamarts(db.sql, { scope: "all", asOf });
  expect(incremental).toEqual(await snapshot(db.sql));
}, 120_000);
