import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

// dwh.badges_per_users' badge ids (0046): checked per statement against the catalogue
// dwh.badges, in both directions, as the foreign key they replace did.
const template = { name: "dwh", prepare: async (sql: TestDatabase["sql"]) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
  await db.sql`INSERT INTO dwh.datamartusers (user_id, dimension_user_id, username) VALUES (1, 1, 'a'), (2, 2, 'b')`;
}, 60_000);
afterAll(() => db.drop(), 30_000);

const code = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

describe("badge ids of dwh.badges_per_users", () => {
  test("awards of catalogue badges are accepted; one unknown id rejects the whole statement", async () => {
    const sql = db.sql;
    await sql`INSERT INTO dwh.badges_per_users (user_id, badge_id, date_awarded) VALUES (1, 1, '2025-01-01'), (2, 1, '2025-01-01')`;
    expect(await code(() => sql`INSERT INTO dwh.badges_per_users (user_id, badge_id, date_awarded) VALUES (1, 2, '2025-01-01'), (2, 999, '2025-01-01')`)).toBe("23503");
    expect(await code(() => sql`UPDATE dwh.badges_per_users SET badge_id = 998 WHERE user_id = 2`)).toBe("23503");
    const rows = await sql`SELECT user_id, badge_id FROM dwh.badges_per_users ORDER BY 1, 2`;
    expect(rows.map((r) => [r.user_id, r.badge_id])).toEqual([[1, 1], [2, 1]]);
  });

  test("a badge still awarded cannot leave the catalogue; one never awarded can", async () => {
    const sql = db.sql;
    expect(await code(() => sql`DELETE FROM dwh.badges WHERE badge_id = 1`)).toBe("23503");
    expect(await code(() => sql`UPDATE dwh.badges SET badge_id = 100 WHERE badge_id = 1`)).toBe("23503");
    // Accepted deletes, each rolled back by the error thrown after it (not the delete's own).
    const deleteThenRollBack = (id: number) =>
      code(() => sql.begin(async (tx) => {
        await tx`DELETE FROM dwh.badges WHERE badge_id = ${id}`;
        throw Object.assign(new Error("roll back"), { code: "rolled-back" });
      }));
    expect(await deleteThenRollBack(48)).toBe("rolled-back");
    // Removing the users removes their awards (the key to the users cascades): badge 1 may go.
    await sql`DELETE FROM dwh.datamartusers WHERE user_id IN (1, 2)`;
    expect(await deleteThenRollBack(1)).toBe("rolled-back");
  });
});
