import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { buildDatamarts, countryProfile, globalProfile, userProfile } from "./index.ts";
import { Fixture } from "./_test-fixture.ts";
import { ALICE, BOB, GERMANY, TODAY, loadCraftedData } from "./_crafted-data.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  const fx = new Fixture(db.sql);
  await loadCraftedData(fx);
  // A user whose name looks like SQL and another whose name is digits.
  await fx.user(201, "x'); DROP TABLE dwh.facts; --");
  await fx.user(202, "104");
  await fx.note({ id: 20, country: GERMANY, actions: [{ at: "2026-03-01 10:00", type: "opened", user: 201, text: "a" }] });
  await fx.note({ id: 21, country: GERMANY, actions: [{ at: "2026-03-01 11:00", type: "opened", user: 202, text: "b" }] });
  await buildDatamarts(db.sql, { scope: "all", asOf: TODAY });
}, 60_000);
afterAll(() => db.drop(), 30_000);

describe("userProfile", () => {
  test("by id, by current name, case-insensitively; a renamed user's old name is not current", async () => {
    const byId = await userProfile(db.sql, ALICE);
    expect(byId?.username).toBe("alicia");
    expect(byId?.contributor_type_name_en).toBe("Junior contributor");
    expect(byId?.badges.map((b) => b.badge_name)).toEqual(["First Note", "First Close"]);
    expect(byId?.date_starting_creating_notes).toEqual(new Date("2025-03-10T00:00:00Z"));
    expect((await userProfile(db.sql, "alicia"))?.user_id).toBe(ALICE);
    expect((await userProfile(db.sql, "ALICIA"))?.user_id).toBe(ALICE);
    expect((await userProfile(db.sql, String(BOB)))?.username).toBe("bob");
    expect(await userProfile(db.sql, "alice")).toBeNull();
    expect(await userProfile(db.sql, "nobody")).toBeNull();
  });
  test("names are parameters: hostile and digit-only names", async () => {
    expect((await userProfile(db.sql, "x'); DROP TABLE dwh.facts; --"))?.user_id).toBe(201);
    // "104" is dave's id first; the user named "104" is found by name when no id matches.
    expect((await userProfile(db.sql, "104"))?.username).toBe("dave");
    expect((await userProfile(db.sql, 202))?.username).toBe("104");
    const [n] = await db.sql`SELECT count(*)::integer AS n FROM dwh.facts`;
    expect(n!.n).toBeGreaterThan(0);
  });
  test("bad arguments", async () => {
    await expect(userProfile(db.sql, "  ")).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(userProfile(db.sql, 1.5)).rejects.toMatchObject({ code: "invalid_argument" });
  });
});

describe("countryProfile and globalProfile", () => {
  test("by id, English / local / Spanish name", async () => {
    for (const key of [GERMANY, "Germany", "deutschland", "Alemania", String(GERMANY)]) {
      expect((await countryProfile(db.sql, key))?.country_id).toBe(GERMANY);
    }
    expect(await countryProfile(db.sql, "Atlantis")).toBeNull();
  });
  test("global", async () => {
    const g = await globalProfile(db.sql);
    expect(g.dimension_global_id).toBe(1);
    expect(g.history_whole_open).toBe(9);
    expect(g.resolution_rate).toBe(33.33);
  });
});
