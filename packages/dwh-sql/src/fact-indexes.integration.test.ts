import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TransactionSql } from "postgres";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

const template = { name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

/** The plan of `query` with sequential scans disabled: proves an index can serve it at all. */
async function plan(tx: TransactionSql<{}>, query: string): Promise<string> {
  const lines = await tx.unsafe(`EXPLAIN (COSTS OFF) ${query}`);
  return lines.map((l) => String(l["QUERY PLAN"])).join("\n");
}

// The hot lookups of the ETL, the datamart builders, the exporter and the API (each index's
// comment in 0011/0006/0012/0016 names its user). On empty tables the planner prefers
// sequential scans, so they are switched off: the point is that a matching index exists and
// its predicate fits the query as the callers write it.
const HOT: [query: string, index: string | RegExp][] = [
  ["SELECT 1 FROM dwh.facts WHERE id_note = 5 AND sequence_action = 2", "facts_2020_id_note_sequence_action_idx"],
  ["SELECT count(*) FROM dwh.facts WHERE action_dimension_id_user = 7", "facts_2020_action_dimension_id_user_idx"],
  ["SELECT count(*) FROM dwh.facts WHERE opened_dimension_id_user = 7", "facts_2020_opened_dimension_id_user_idx"],
  ["SELECT count(*) FROM dwh.facts WHERE closed_dimension_id_user = 7 AND action_comment = 'closed'", "facts_2020_closed_dimension_id_user_idx"],
  ["SELECT count(*) FROM dwh.facts WHERE dimension_id_country = 3", "facts_2020_dimension_id_country_idx"],
  ["SELECT count(*) FROM dwh.facts WHERE action_at >= '2020-06-01'", "facts_2020_action_at_idx"],
  ["SELECT count(*) FROM dwh.note_current_status WHERE dimension_id_country = 3 AND is_currently_open", "note_current_status_country_open"],
  ["SELECT count(*) FROM dwh.note_current_status WHERE opened_dimension_id_user = 3 AND is_currently_open", "note_current_status_opener_open"],
  ["SELECT opened_dimension_id_date, is_currently_open FROM dwh.note_current_status WHERE opened_dimension_id_user = 3 AND opened_dimension_id_date >= 20200101", "note_current_status_opener"],
  ["SELECT * FROM dwh.dimension_users WHERE user_id = 42 AND is_current", /dimension_users_(current_)?user_id/],
  ["SELECT * FROM dwh.dimension_users WHERE username = 'someone'", "dimension_users_username"],
  ["SELECT * FROM dwh.datamartusers WHERE username = 'someone'", "datamartusers_username"],
  ["SELECT count(*) FROM dwh.json_export_pending WHERE datamart = 'users' AND id >= 1", "json_export_pending_pkey"],
  ["SELECT * FROM dwh.fact_hashtags WHERE dimension_hashtag_id = 9", "fact_hashtags_hashtag"],
];

describe("indexes serve the hot queries", () => {
  for (const [query, index] of HOT) {
    test(String(index), async () => {
      await db.sql.begin(async (tx) => {
        await tx`SET LOCAL enable_seqscan = off`;
        // Only the 2020 partition is scanned when the query prunes; otherwise look at one of them.
        const text = await plan(tx, query.includes("dwh.facts") ? query.replace("dwh.facts", "dwh.facts_2020") : query);
        expect(text).toMatch(index);
      });
    });
  }
});

describe("functions the ETL uses around a first load", () => {
  test("drop_fact_indexes removes the fact indexes, create_fact_indexes rebuilds them (idempotent)", async () => {
    const count = async () =>
      (await db.sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'facts'`)[0]?.n;
    const before = await count();
    await db.sql`SELECT dwh.drop_fact_indexes()`;
    expect(await count()).toBe(1); // the primary key stays
    await db.sql`SELECT dwh.create_fact_indexes()`;
    await db.sql`SELECT dwh.create_fact_indexes()`;
    expect(await count()).toBe(before);
  });

  test("create_fact_index builds one named index (a parallel load spreads them over connections)", async () => {
    const names = async () =>
      (await db.sql`SELECT indexname FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'facts' AND indexname <> 'facts_pkey' ORDER BY 1`)
        .map((r) => r.indexname as string);
    const all = await names();
    const [listed] = await db.sql`SELECT dwh.fact_index_names() AS names`;
    expect([...(listed!.names as string[])].sort()).toEqual(all);
    await db.sql`SELECT dwh.drop_fact_indexes()`;
    await db.sql`SELECT dwh.create_fact_index('facts_country')`;
    expect(await names()).toEqual(["facts_country"]);
    const err = await db.sql`SELECT dwh.create_fact_index('facts_nope')`.catch((e: Error) => e.message);
    expect(err).toContain("unknown fact index facts_nope");
    await db.sql`SELECT dwh.create_fact_indexes()`;
    expect(await names()).toEqual(all);
  });

  test("drop_status_indexes removes the current status's secondary indexes, create_status_indexes rebuilds them (idempotent)", async () => {
    const names = async () =>
      (await db.sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'note_current_status' ORDER BY 1`)
        .map((r) => `${r.indexname as string}: ${r.indexdef as string}`);
    const before = await names();
    expect(before).toHaveLength(4);
    await db.sql`SELECT dwh.drop_status_indexes()`;
    expect(await names()).toEqual([expect.stringMatching(/^note_current_status_pkey: /)]); // ON CONFLICT needs it
    await db.sql`SELECT dwh.create_status_indexes()`;
    await db.sql`SELECT dwh.create_status_indexes()`;
    expect(await names()).toEqual(before); // same names and definitions as the migrations made
  });

  test("add_fact_foreign_keys adds every dimension foreign key once", async () => {
    const [first] = await db.sql`SELECT dwh.add_fact_foreign_keys() AS n`;
    const [again] = await db.sql`SELECT dwh.add_fact_foreign_keys() AS n`;
    expect([first?.n, again?.n]).toEqual([18, 0]);
    const err = await db.sql`
      INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
        action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
      VALUES (1, 1, 999999, '2020-05-05 10:00', 'opened', 20200505, 210, 20200505, 210)`.catch((e: { code?: string }) => e.code);
    expect(err).toBe("23503");
  });
});
