import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freshDatabase, type TestDatabase } from "../test-database.ts";
import { TestkitError } from "../testkit-error.ts";
import { generate } from "./generate.ts";

const checksum = async (db: TestDatabase) => {
  const rows = await db.sql<{ t: string; md5: string }[]>`
    SELECT 'notes' AS t, md5(string_agg(x::text, '|' ORDER BY note_id)) AS md5 FROM notes x
    UNION ALL SELECT 'note_comments', md5(string_agg(x::text, '|' ORDER BY id)) FROM note_comments x
    UNION ALL SELECT 'note_comments_text', md5(string_agg(x::text, '|' ORDER BY id)) FROM note_comments_text x
    UNION ALL SELECT 'users', md5(string_agg(x::text, '|' ORDER BY user_id)) FROM users x
    UNION ALL SELECT 'countries', md5(string_agg(x::text, '|' ORDER BY country_id)) FROM countries x`;
  return Object.fromEntries(rows.map((r) => [r.t, r.md5]));
};

let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([freshDatabase(), freshDatabase()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a.drop(), b.drop()]);
});

describe("generate", () => {
  test("the same seed gives byte-identical tables; another seed does not", async () => {
    const [ra, rb] = [await generate(a.sql, { notes: 5000, seed: 42 }), await generate(b.sql, { notes: 5000, seed: 42 })];
    expect(ra.notes).toBe(5000);
    expect(rb.actions).toBe(ra.actions);
    const sumA = await checksum(a);
    expect(await checksum(b)).toEqual(sumA);
    await generate(b.sql, { notes: 5000, seed: 43, replace: true });
    expect((await checksum(b)).note_comments).not.toBe(sumA.note_comments);
  }, 60_000);

  test("the data has the shape of real notes", async () => {
    const [s] = await a.sql<Record<string, number>[]>`
      SELECT (SELECT count(*) FROM notes)::int AS notes,
             (SELECT count(*) FROM note_comments)::float / (SELECT count(*) FROM notes) AS actions_per_note,
             (SELECT avg((id_user IS NULL)::int) FROM note_comments WHERE event = 'opened')::float AS anonymous_openings,
             (SELECT avg((body = '')::int) FROM note_comments_text)::float AS empty_bodies,
             (SELECT count(*) FROM note_comments WHERE event = 'hidden')::int AS hidden,
             (SELECT count(*) FROM note_comments WHERE event = 'reopened')::int AS reopened,
             (SELECT count(*) FROM notes WHERE id_country = -1)::int AS international_waters,
             (SELECT count(*) FROM notes WHERE id_country = -2)::int AS not_found,
             (SELECT count(*) FROM notes WHERE id_country IS NULL)::int AS unassigned,
             (SELECT count(*) FROM notes n WHERE NOT EXISTS (SELECT 1 FROM note_comments c WHERE c.note_id = n.note_id))::int AS without_actions,
             (SELECT count(*) FROM note_comments_text WHERE body ~ '#mapsme|via StreetComplete')::int AS app_signatures,
             (SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM note_comments c WHERE c.id_user = u.user_id))::int AS users_without_actions,
             (SELECT min(created_at)::date::text FROM notes) AS first_day,
             (SELECT max(created_at) <= '2025-11-21' FROM note_comments) AS nothing_in_future,
             (SELECT value FROM properties WHERE key = 'base_load_complete') AS base_load_complete`;
    expect(s).toMatchObject({ notes: 5000, users_without_actions: 0, first_day: "2013-04-24", nothing_in_future: true, base_load_complete: "true" });
    expect(s!.actions_per_note).toBeGreaterThan(2.5);
    expect(s!.actions_per_note).toBeLessThan(3.3);
    expect(s!.anonymous_openings).toBeGreaterThan(0.35);
    expect(s!.anonymous_openings).toBeLessThan(0.45);
    expect(s!.empty_bodies).toBeGreaterThan(0.12);
    expect(s!.empty_bodies).toBeLessThan(0.3);
    for (const k of ["hidden", "reopened", "international_waters", "not_found", "unassigned", "without_actions", "app_signatures"]) {
      expect(s![k]).toBeGreaterThan(0);
    }
    // Zipf-like activity: the busiest 1 % of users do a large share of the actions.
    const [top] = await a.sql<{ share: number }[]>`
      WITH per_user AS (SELECT id_user, count(*) AS n FROM note_comments WHERE id_user IS NOT NULL GROUP BY id_user),
           ranked AS (SELECT n, ntile(100) OVER (ORDER BY n DESC) AS pct FROM per_user)
      SELECT (sum(n) FILTER (WHERE pct = 1))::float / sum(n) AS share FROM ranked`;
    expect(top!.share).toBeGreaterThan(0.2);
  });

  test("constraints of the contract are in place after a load", async () => {
    const constraints = await a.sql<{ conname: string }[]>`
      SELECT conname FROM pg_constraint WHERE conrelid = 'public.note_comments'::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname`;
    expect(constraints.map((c) => c.conname)).toEqual(["fk_notes", "fk_users", "pk_note_comments", "unique_comment_note"]);
  });

  test("refuses to write into tables that hold data, and leaves them as they were", async () => {
    const before = await checksum(a);
    const error = await generate(a.sql, { notes: 10, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestkitError);
    expect((error as TestkitError).hint).toContain("--replace");
    expect(await checksum(a)).toEqual(before);
  });
});
