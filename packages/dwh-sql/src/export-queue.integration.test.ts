import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

// dwh.json_export_pending (0031): every write of a user or country datamart row queues it for
// the JSON export with the row's updated_at, whoever writes it; a removed row leaves the queue.
const template = { name: "dwh", prepare: async (sql: TestDatabase["sql"]) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

async function queue(): Promise<Array<{ datamart: string; id: number; same: boolean }>> {
  // same: the queued stamp is the row's current updated_at.
  return db.sql<Array<{ datamart: string; id: number; same: boolean }>>`
    SELECT p.datamart, p.id, coalesce(p.updated_at = coalesce(u.updated_at, c.updated_at), false) AS same
    FROM dwh.json_export_pending p
    LEFT JOIN dwh.datamartusers u ON p.datamart = 'users' AND u.user_id = p.id
    LEFT JOIN dwh.datamartcountries c ON p.datamart = 'countries' AND c.country_id = p.id
    ORDER BY 1, 2`;
}

describe("dwh.json_export_pending", () => {
  test("inserts, updates (also through ON CONFLICT) and deletes of datamart rows keep the queue", async () => {
    const sql = db.sql;
    await sql`INSERT INTO dwh.datamartusers (user_id, dimension_user_id, username) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')`;
    await sql`INSERT INTO dwh.datamartcountries (country_id, dimension_country_id, country_name) VALUES (7, 7, 'X')`;
    expect(await queue()).toEqual([
      { datamart: "countries", id: 7, same: true },
      { datamart: "users", id: 1, same: true },
      { datamart: "users", id: 2, same: true },
      { datamart: "users", id: 3, same: true },
    ]);

    // What an export does once it has written rows 1, 2 and the country.
    await sql`DELETE FROM dwh.json_export_pending WHERE (datamart, id) IN (('users', 1), ('users', 2), ('countries', 7))`;
    // A build's upsert: user 2 changes (ON CONFLICT … DO UPDATE), user 4 is new.
    await sql`
      INSERT INTO dwh.datamartusers (user_id, dimension_user_id, username) VALUES (2, 2, 'b2'), (4, 4, 'd')
      ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username,
        updated_at = clock_timestamp() AT TIME ZONE 'UTC'`;
    // An operator forcing the country out again; user 3 removed before it was ever exported.
    await sql`UPDATE dwh.datamartcountries SET updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE country_id = 7`;
    await sql`DELETE FROM dwh.datamartusers WHERE user_id = 3`;
    expect(await queue()).toEqual([
      { datamart: "countries", id: 7, same: true },
      { datamart: "users", id: 2, same: true },
      { datamart: "users", id: 4, same: true },
    ]);

    // A change after the export read a row: the queue holds the newer stamp, so deleting the
    // (id, stamp the export read) pair leaves it pending.
    const [read] = await sql<{ stamp: string }[]>`SELECT updated_at::text AS stamp FROM dwh.datamartusers WHERE user_id = 4`;
    await sql`UPDATE dwh.datamartusers SET username = 'd2', updated_at = updated_at + interval '1 microsecond' WHERE user_id = 4`;
    await sql`DELETE FROM dwh.json_export_pending WHERE datamart = 'users' AND id = 4 AND updated_at = ${read!.stamp}::timestamp`;
    expect((await queue()).filter((q) => q.datamart === "users").map((q) => q.id)).toEqual([2, 4]);
  });
});
