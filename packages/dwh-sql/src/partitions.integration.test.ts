import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

const template = { name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

async function insertAction(noteId: number, at: string): Promise<void> {
  await db.sql`
    INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
      action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
    SELECT ${noteId}, 1, c.dimension_country_id, ${at}::timestamp, 'opened',
           dwh.get_date_id(${at}::timestamp), dwh.get_hour_of_week_id(${at}::timestamp),
           dwh.get_date_id(${at}::timestamp), dwh.get_hour_of_week_id(${at}::timestamp)
    FROM dwh.dimension_countries c WHERE c.country_id = -1`;
}

async function partitionOf(noteId: number): Promise<string | undefined> {
  const [row] = await db.sql`SELECT tableoid::regclass::text AS part FROM dwh.facts WHERE id_note = ${noteId}`;
  return row?.part;
}

async function defaultCheck() {
  const [row] = await db.sql`SELECT status, issue_count::int AS n FROM dwh.validate_dwh_integrity() WHERE check_name LIKE 'DWH-001%'`;
  return row;
}

describe("yearly partitions on demand", () => {
  test("an action in 2009 and one in 2031 land in their own partitions; the default stays empty", async () => {
    const [made] = await db.sql`SELECT dwh.ensure_fact_partitions(2009, 2009) + dwh.ensure_fact_partitions(2031, 2031) AS n`;
    expect(made?.n).toBe(2);
    await insertAction(900_001, "2009-06-30 23:59:59");
    await insertAction(900_002, "2031-01-01 00:00:00");
    expect(await partitionOf(900_001)).toBe("dwh.facts_2009");
    expect(await partitionOf(900_002)).toBe("dwh.facts_2031");
    const [def] = await db.sql`SELECT count(*)::int AS n FROM dwh.facts_default`;
    expect(def?.n).toBe(0);
    expect(await defaultCheck()).toEqual({ status: "PASS", n: 0 });
  });

  test("calling it again for existing years creates nothing; a range creates only the missing years", async () => {
    const [again] = await db.sql`SELECT dwh.ensure_fact_partitions(2009, 2009) AS n`;
    expect(again?.n).toBe(0);
    const [range] = await db.sql`SELECT dwh.ensure_fact_partitions(2008, 2010) AS n`;
    expect(range?.n).toBe(2); // 2008 and 2010
    expect(await partitionOf(900_001)).toBe("dwh.facts_2009");
  });

  test("new partitions inherit the fact indexes", async () => {
    const [idx] = await db.sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'facts_2031'`;
    const [parent] = await db.sql`
      SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'facts'`;
    expect(idx?.n).toBe(parent?.n);
  });

  test("an action of a year without partition goes to the default partition, which the integrity check reports", async () => {
    await insertAction(900_003, "2040-03-03 03:03:03");
    expect(await partitionOf(900_003)).toBe("dwh.facts_default");
    expect(await defaultCheck()).toEqual({ status: "FAIL", n: 1 });
    // Creating the year now fails: the default partition holds one of its rows (fixed by moving them).
    const err = await db.sql`SELECT dwh.ensure_fact_partitions(2040, 2040)`.catch((e: { code?: string }) => e.code);
    expect(err).toBe("23514");
    await db.sql`DELETE FROM dwh.facts WHERE id_note = ${900_003}`;
    expect(await defaultCheck()).toEqual({ status: "PASS", n: 0 });
  });

  test("a bad range is refused", async () => {
    const err = await db.sql`SELECT dwh.ensure_fact_partitions(2031, 2030)`.catch((e: { code?: string }) => e.code);
    expect(err).toBe("22023");
  });
});
