// The real 994-note sample through the real ETL (@osm-notes/etl): row counts and global totals
// against the base tables, and datamarts refreshed with touched builds after several
// incremental ETL runs equal a full rebuild, column by column.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  applyBaseTables,
  connect,
  freshDatabase,
  markBaseLoadComplete,
  type Sql,
  type TestDatabase,
  loadRealSample,
} from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts } from "./index.ts";
import { holdBack, release, snapshot } from "./_test-etl.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  await loadRealSample(db.sql);
  await markBaseLoadComplete(db.sql);
}, 120_000);
afterAll(() => db.drop(), 30_000);

describe("the 994-note sample", () => {
  test("incremental ETL runs + touched builds equal a full rebuild", async () => {
    // Quantiles of action time: the first run loads up to the 60 %, then three increments.
    const [q] = await db.sql<{ a: string; b: string; c: string }[]>`
      SELECT percentile_disc(0.6) WITHIN GROUP (ORDER BY created_at)::text AS a,
             percentile_disc(0.8) WITHIN GROUP (ORDER BY created_at)::text AS b,
             percentile_disc(0.95) WITHIN GROUP (ORDER BY created_at)::text AS c
      FROM public.note_comments`;
    await holdBack(db.sql, q!.a);
    await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
    const first = await buildDatamarts(db.sql);
    expect(first.datamarts.every((d) => d.scope === "all")).toBe(true);
    for (const upTo of [q!.b, q!.c, "9999-01-01"]) {
      await release(db.sql, upTo);
      const etl = await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
      expect(etl.factsInserted).toBeGreaterThan(0);
      const r = await buildDatamarts(db.sql);
      expect(r.datamarts[0]!.scope).toBe("touched");
      expect(r.datamarts[0]!.entities).toBeGreaterThan(0);
      // The ETL flags every touched user and country; the build clears the flags of all of
      // them, those recomputed only in part (passive users) included.
      const [flagged] = await db.sql<{ users: number; countries: number }[]>`
        SELECT (SELECT count(*)::integer FROM dwh.dimension_users WHERE modified) AS users,
               (SELECT count(*)::integer FROM dwh.dimension_countries WHERE modified) AS countries`;
      expect(flagged).toEqual({ users: 0, countries: 0 });
    }
    const incremental = await snapshot(db.sql);
    // The users in two parts, one per connection (a pool of 4), …
    const parts = new Map<number, number>();
    await buildDatamarts(db.sql, {
      scope: "all",
      onProgress: (p) => {
        if (p.datamart === "users" && p.step === "scope") parts.set(p.shard ?? -1, p.rows);
      },
    });
    expect([...parts.keys()].sort()).toEqual([0, 1]);
    expect(Math.min(...parts.values())).toBeGreaterThan(0);
    expect(incremental).toEqual(await snapshot(db.sql));
    // … give the same rows as all of them on one connection.
    const one = connect(db.url, { max: 1 });
    try {
      const r = await buildDatamarts(one, { scope: "all" });
      expect(r.datamarts.find((d) => d.datamart === "users")!.families.scope!.rows).toBe([...parts.values()].reduce((a, b) => a + b));
      expect(await snapshot(db.sql)).toEqual(incremental);
    } finally {
      await one.end();
    }
  }, 120_000);

  test("one user row per OSM user with actions, one country row per country with notes", async () => {
    const [base] = await db.sql<{ users: number; countries: number }[]>`
      SELECT (SELECT count(DISTINCT id_user)::integer FROM public.note_comments WHERE id_user IS NOT NULL) AS users,
             (SELECT count(DISTINCT dc.country_id)::integer FROM public.notes n
                JOIN dwh.dimension_countries dc ON dc.country_id = coalesce(n.id_country, -1)) AS countries`;
    const [dm] = await db.sql<{ users: number; countries: number; dup: number }[]>`
      SELECT (SELECT count(*)::integer FROM dwh.datamartusers) AS users,
             (SELECT count(*)::integer FROM dwh.datamartcountries) AS countries,
             (SELECT count(*)::integer FROM (SELECT username FROM dwh.datamartusers GROUP BY user_id, username HAVING count(*) > 1) x) AS dup`;
    expect(dm!.users).toBe(base!.users);
    expect(dm!.countries).toBe(base!.countries);
    expect(dm!.dup).toBe(0);
  });

  test("global totals equal direct counts on the base tables", async () => {
    const [base] = await db.sql<Record<string, number>[]>`
      SELECT count(*) FILTER (WHERE event = 'opened')::integer AS history_whole_open,
             count(*) FILTER (WHERE event = 'commented')::integer AS history_whole_commented,
             count(*) FILTER (WHERE event = 'closed')::integer AS history_whole_closed,
             count(*) FILTER (WHERE event = 'reopened')::integer AS history_whole_reopened,
             count(DISTINCT note_id) FILTER (WHERE event = 'closed')::integer AS notes_resolved_count
      FROM public.note_comments`;
    const [global] = await db.sql<Record<string, number>[]>`
      SELECT history_whole_open, history_whole_commented, history_whole_closed, history_whole_reopened, notes_resolved_count,
             currently_open_count + currently_closed_count AS notes
      FROM dwh.datamartglobal`;
    expect(global).toMatchObject(base!);
    const [sums] = await db.sql<Record<string, number>[]>`
      SELECT sum(history_whole_open)::integer AS open, sum(history_whole_closed)::integer AS closed FROM dwh.datamartcountries`;
    expect(sums).toEqual({ open: base!.history_whole_open!, closed: base!.history_whole_closed! });
  });
});
