// The countries finish their whole-history metrics from aggregate state (migration 0033,
// countries/state_*.sql, countries/counts.sql), the users from their actions. Both must mean
// the same: here every countries family computed from the state equals the same family
// computed from the countries' actions the way the users' are (users/counts.sql and the shared
// files), on the real sample and on generated data (whose ranking lists are longer than the
// 50 kept, with ties at the cut: countries/counts.sql reads only the users above it).
import { expect, test } from "bun:test";
import {
  applyBaseTables,
  freshDatabase,
  generate,
  loadRealSample,
  markBaseLoadComplete,
  type Sql,
  type TestDatabase,
} from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { sqlFile } from "./_sql-files.ts";

/** A warehouse loaded by `load` and the real ETL, dropped after `check`. */
async function withWarehouse(load: (sql: Sql) => Promise<unknown>, check: (sql: Sql) => Promise<void>): Promise<void> {
  const db: TestDatabase = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  try {
    await load(db.sql);
    await markBaseLoadComplete(db.sql);
    await runEtl(db.sql, { lookbackHours: 24 * 365 * 20 });
    await check(db.sql);
  } finally {
    await db.drop();
  }
}

class Rollback extends Error {}

const LABELS = { label_all: "username", label_year: "username", id_key: "user_id" };
/** Family table ← [file from the actions, file from the state]. */
const FAMILIES: Record<string, [string, string]> = {
  dm_firsts: ["shared/firsts", "countries/firsts"],
  dm_history: ["shared/history", "shared/history"],
  dm_patterns: ["shared/patterns", "countries/patterns"],
  dm_dates: ["shared/dates", "shared/dates"],
  dm_rankings: ["shared/rankings", "shared/rankings"],
  dm_hashtags: ["shared/hashtags", "shared/hashtags"],
  dm_working_hours: ["shared/working_hours", "shared/working_hours"],
  dm_applications: ["shared/applications", "shared/applications"],
  dm_comments: ["shared/comments", "countries/comments"],
  dm_resolution: ["shared/resolution", "shared/resolution"],
};

interface Compared {
  families: Record<string, { rows: number; differing: number }>;
  /** The state's notes per country and day against the notes' status counted directly. */
  noteDays: { rows: number; differing: number };
  /** Openers' and closers' lists (per country and year) longer than 50, and those tied at the cut. */
  lists: { long: number; tied: number };
}

/** Every countries family from the state and from the actions, compared row by row (in a transaction rolled back). */
async function compareFamilies(sql: Sql): Promise<Compared> {
  const compared: Compared = { families: {}, noteDays: { rows: 0, differing: 0 }, lists: { long: 0, tied: 0 } };
  await sql
    .begin(async (tx) => {
      await tx.unsafe("SET LOCAL TimeZone = 'UTC'");
      await tx.unsafe(sqlFile("shared/concepts"));
      await tx.unsafe(sqlFile("shared/params"));
      await tx.unsafe(
        `INSERT INTO dm_p SELECT d, date_trunc('year', d)::date, date_trunc('month', d)::date, d - 30, d - 370, '-infinity'
         FROM (SELECT '2025-11-20'::date AS d) x`,
      );
      await tx.unsafe("INSERT INTO dm_sw (from_fact) VALUES (0)");
      await tx.unsafe(sqlFile("countries/state_clear"));
      await tx.unsafe(sqlFile("countries/state_delta"));
      await tx.unsafe(sqlFile("countries/state_merge"));
      await tx.unsafe(sqlFile("countries/state_notes_rebuild"));
      await tx.unsafe(sqlFile("countries/state_keys"));
      const [lists] = await tx.unsafe<{ long: number; tied: number }[]>(
        `SELECT count(*) FILTER (WHERE n > 50)::integer AS long, count(*) FILTER (WHERE c50 = c51)::integer AS tied
         FROM (SELECT count(*) AS n, (array_agg(c ORDER BY c DESC))[50] AS c50, (array_agg(c ORDER BY c DESC))[51] AS c51
               FROM dwh.datamart_country_users s
               CROSS JOIN LATERAL (VALUES ('opened', s.opened), ('closed', s.closed)) t (ty, c)
               WHERE c > 0 GROUP BY s.country_id, s.year, t.ty) x`,
      );
      compared.lists = lists!;
      const [noteDays] = await tx.unsafe<{ rows: number; differing: number }[]>(
        `WITH direct AS (
           SELECT dc.country_id, dd.date_id AS day, count(*)::integer AS notes,
                  count(*) FILTER (WHERE s.is_currently_open)::integer AS open_notes
           FROM dwh.note_current_status s
           JOIN dwh.dimension_countries dc ON dc.dimension_country_id = s.dimension_id_country
           JOIN dwh.dimension_days dd ON dd.dimension_day_id = s.opened_dimension_id_date
           GROUP BY 1, 2
         ), state AS (SELECT country_id, day, notes, open_notes FROM dwh.datamart_country_note_days)
         SELECT (SELECT count(*)::integer FROM direct) AS rows,
                (SELECT count(*)::integer FROM ((SELECT * FROM direct EXCEPT SELECT * FROM state)
                                                UNION ALL (SELECT * FROM state EXCEPT SELECT * FROM direct)) x) AS differing`,
      );
      compared.noteDays = noteDays!;
      await tx.unsafe(sqlFile("countries/scope_all"));
      await tx.unsafe("INSERT INTO dm_rank_years SELECT id, -1 FROM dm_scope");
      await tx.unsafe(sqlFile("countries/facts"));

      await tx.unsafe(sqlFile("users/counts"));
      for (const [table, [fromActions]] of Object.entries(FAMILIES)) {
        await tx.unsafe(sqlFile(fromActions, LABELS));
        await tx.unsafe(`ALTER TABLE ${table} RENAME TO ${table}_actions`);
      }
      // The 10 longest resolutions, as countries/extras.sql read them from the actions.
      await tx.unsafe(
        `CREATE TEMP TABLE dm_longest_actions AS
         SELECT ek, id_note, dtr AS days, d AS closed_on FROM (
           SELECT x.*, row_number() OVER (PARTITION BY ek ORDER BY dtr DESC, id_note DESC) AS pos
           FROM (SELECT DISTINCT ON (ek, id_note) ek, id_note, dtr, d FROM dm_f
                 WHERE ty = 'closed' AND dtr > 0 ORDER BY ek, id_note, dtr DESC, d DESC) x) y
         WHERE pos <= 10`,
      );
      await tx.unsafe("CREATE TEMP TABLE dm_longest AS SELECT country_id AS ek, id_note, days, closed_on FROM dwh.datamart_country_longest");

      await tx.unsafe(sqlFile("countries/counts"));
      for (const [, [, fromState]] of Object.entries(FAMILIES)) await tx.unsafe(sqlFile(fromState, LABELS));

      for (const table of [...Object.keys(FAMILIES), "dm_longest"]) {
        // The columns of the state's table (firsts from the actions has one more the countries do not store).
        const cols = (await tx.unsafe(`SELECT * FROM ${table} LIMIT 0`)).columns.map((c) => c.name).join(", ");
        const [r] = await tx.unsafe<{ rows: number; differing: number }[]>(
          `SELECT (SELECT count(*)::integer FROM ${table}) AS rows,
                  (SELECT count(*)::integer FROM ((SELECT ${cols} FROM ${table} EXCEPT ALL SELECT ${cols} FROM ${table}_actions)
                                                  UNION ALL (SELECT ${cols} FROM ${table}_actions EXCEPT ALL SELECT ${cols} FROM ${table})) x) AS differing`,
        );
        compared.families[table] = r!;
      }
      throw new Rollback(); // the temporary tables and the state go with the transaction
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return compared;
}

function expectSameFamilies(compared: Compared): void {
  const expected: Compared["families"] = {};
  for (const [table, r] of Object.entries(compared.families)) {
    expect(r.rows).toBeGreaterThan(table === "dm_hashtags" ? 0 : 5);
    expected[table] = { rows: r.rows, differing: 0 };
  }
  expect(Object.keys(compared.families)).toHaveLength(Object.keys(FAMILIES).length + 1);
  expect(compared.families).toEqual(expected);
  expect(compared.noteDays.rows).toBeGreaterThan(5);
  expect(compared.noteDays).toEqual({ rows: compared.noteDays.rows, differing: 0 });
}

test("every countries family gives the same rows from the state as from the actions: the real sample", async () => {
  await withWarehouse(loadRealSample, async (sql) => expectSameFamilies(await compareFamilies(sql)));
}, 120_000);

test("every countries family gives the same rows from the state as from the actions: generated data", async () => {
  await withWarehouse(
    (sql) => generate(sql, { notes: 5_000, seed: 3 }),
    async (sql) => {
      const compared = await compareFamilies(sql);
      expect(compared.lists.long).toBeGreaterThan(0);
      expect(compared.lists.tied).toBeGreaterThan(0);
      expectSameFamilies(compared);
    },
  );
}, 120_000);
