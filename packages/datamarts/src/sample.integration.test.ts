// The real 994-note sample through the real ETL (@osm-notes/etl): row counts and global totals
// against the base tables, and datamarts refreshed with touched builds after several
// incremental ETL runs equal a full rebuild, column by column.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  applyBaseTables,
  freshDatabase,
  loadNotesXml,
  markBaseLoadComplete,
  openNotesFile,
  sharedDataPath,
  type Sql,
  type TestDatabase,
} from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts } from "./index.ts";

let db: TestDatabase;

async function snapshot(sql: Sql): Promise<Record<string, unknown[]>> {
  const strip = "- 'updated_at' - 'exported_at' - 'json_exported'";
  const q = async (text: string) => (await sql.unsafe<{ j: unknown }[]>(text)).map((r) => r.j);
  return {
    users: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartusers t ORDER BY user_id`),
    countries: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartcountries t ORDER BY country_id`),
    global: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartglobal t`),
    badges: await q(`SELECT to_jsonb(t) AS j FROM dwh.badges_per_users t ORDER BY user_id, badge_id`),
  };
}

/** Moves the notes created after `cut` and the actions after `cut` (or on such notes) out of the base tables. */
async function holdBack(sql: Sql, cut: string): Promise<void> {
  await sql.unsafe(`
    CREATE TABLE hold_notes AS SELECT * FROM public.notes WHERE created_at > '${cut}';
    CREATE TABLE hold_comments AS SELECT * FROM public.note_comments
      WHERE created_at > '${cut}' OR note_id IN (SELECT note_id FROM hold_notes);
    CREATE TABLE hold_texts AS SELECT t.* FROM public.note_comments_text t
      JOIN hold_comments c ON c.note_id = t.note_id AND c.sequence_action = t.sequence_action;
    DELETE FROM public.note_comments_text t USING hold_texts h WHERE t.id = h.id;
    DELETE FROM public.note_comments c USING hold_comments h WHERE c.id = h.id;
    DELETE FROM public.notes n USING hold_notes h WHERE n.note_id = h.note_id;`);
}

/** Puts back the held notes and actions up to `upTo` (actions only when their note is back). */
async function release(sql: Sql, upTo: string): Promise<void> {
  await sql.unsafe(`
    WITH m AS (DELETE FROM hold_notes WHERE created_at <= '${upTo}' RETURNING *) INSERT INTO public.notes SELECT * FROM m;
    WITH m AS (DELETE FROM hold_comments c WHERE created_at <= '${upTo}'
                 AND EXISTS (SELECT 1 FROM public.notes n WHERE n.note_id = c.note_id) RETURNING *)
    INSERT INTO public.note_comments SELECT * FROM m;
    WITH m AS (DELETE FROM hold_texts t USING public.note_comments c
               WHERE t.note_id = c.note_id AND t.sequence_action = c.sequence_action RETURNING t.*)
    INSERT INTO public.note_comments_text SELECT * FROM m;`);
}

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml")), {
    countriesCsv: sharedDataPath("derived/countries-from-published-index.csv"),
    noteCountriesCsv: sharedDataPath("derived/fixture-994-note-countries.csv"),
  });
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
    }
    const incremental = await snapshot(db.sql);
    await buildDatamarts(db.sql, { scope: "all" });
    expect(incremental).toEqual(await snapshot(db.sql));
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
