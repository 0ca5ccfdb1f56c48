import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TransactionSql } from "postgres";
import { applyBaseTables, connect, freshDatabase, testServer, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

const template = { name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

type Tx = TransactionSql<{}>;

/** Runs `fn` as `role` (SET LOCAL ROLE) in a transaction that is rolled back afterwards. */
async function as(role: string, fn: (tx: Tx) => Promise<void>): Promise<void> {
  const rollback = new Error("rollback");
  await db.sql
    .begin(async (tx) => {
      await tx.unsafe(`SET LOCAL ROLE ${role}`);
      await fn(tx);
      throw rollback;
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
    });
}

/** Fails the test unless `statement` is refused with insufficient_privilege. */
async function expectDenied(tx: Tx, statement: string): Promise<void> {
  const outcome = await tx
    .savepoint((sp) => sp.unsafe(statement))
    .then(() => "succeeded")
    .catch((e: { code?: string }) => e.code);
  expect([statement, outcome]).toEqual([statement, "42501"]);
}

const FACT_INSERT = `INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
  action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
  VALUES (1, 1, 1, '2020-05-05 10:00', 'opened', 20200505, 210, 20200505, 210)`;

const WRITES = [
  FACT_INSERT,
  "UPDATE dwh.facts SET hashtag_number = 1",
  "DELETE FROM dwh.facts",
  "INSERT INTO dwh.datamartusers (user_id, dimension_user_id) VALUES (1, 1)",
  "UPDATE dwh.datamartglobal SET history_whole_open = 5",
  "DELETE FROM dwh.datamartcountries",
  "UPDATE dwh.dimension_users SET username = 'x'",
  "INSERT INTO dwh.dimension_countries (country_id) VALUES (42)",
  "TRUNCATE dwh.note_current_status",
  "UPDATE public.schema_version SET version = '9.9.9'",
  "INSERT INTO dwh.etl_runs (mode) VALUES ('first')",
  "SELECT nextval('dwh.facts_fact_id_seq')",
  "CREATE TABLE dwh.analyst_table (id int)",
  "CREATE VIEW dwh.analyst_view AS SELECT 1 AS one",
  "CREATE TABLE staging.analyst_table (id int)",
  "CREATE TABLE public.analyst_table (id int)",
  "CREATE FUNCTION dwh.analyst_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  "SELECT dwh.ensure_fact_partitions(2040, 2040)",
  "SELECT dwh.ensure_days('2040-01-01', '2040-12-31')",
  "SELECT dwh.drop_fact_indexes()",
  "SELECT dwh.drop_status_indexes()",
  "SELECT dwh.grant_roles('osm_notes_analyst', 'osm_notes_analyst')",
  "DROP TABLE dwh.datamartusers",
  "ALTER TABLE dwh.facts ADD COLUMN extra int",
];

describe("osm_notes_analyst (created by the migrations)", () => {
  test("reads facts, partitions, datamarts, dimensions, views, versions and runs the validation functions", async () => {
    await as("osm_notes_analyst", async (tx) => {
      for (const table of [
        "dwh.facts", "dwh.facts_2020", "dwh.datamartusers", "dwh.datamartcountries", "dwh.datamartglobal",
        "dwh.dimension_users", "dwh.dimension_countries", "dwh.dimension_days", "dwh.note_current_status",
        "dwh.v_currently_open_notes_by_country", "dwh.fact_hashtags", "dwh.etl_runs", "dwh.schema_migrations",
        "public.schema_version",
      ]) {
        await tx.unsafe(`SELECT * FROM ${table} LIMIT 1`);
      }
      const checks = await tx`
        SELECT * FROM dwh.validate_note_current_status() UNION ALL SELECT * FROM dwh.validate_comment_counts()`;
      expect(checks.length).toBe(6);
      const [{ id }] = (await tx`SELECT dwh.get_date_id('2020-05-05 10:00') AS id`) as unknown as [{ id: number }];
      expect(id).toBe(20200505);
    });
  });

  test("also reads a partition created after the grants (default privileges)", async () => {
    await db.sql`SELECT dwh.ensure_fact_partitions(2046, 2046)`;
    await as("osm_notes_analyst", async (tx) => {
      await tx`SELECT count(*) FROM dwh.facts_2046`;
    });
  });

  test("cannot insert, update, delete, truncate, create, alter, drop or call the writer functions", async () => {
    await as("osm_notes_analyst", async (tx) => {
      for (const statement of WRITES) await expectDenied(tx, statement);
    });
  });

  test("the insert refused to the analyst is valid SQL that a privileged role can run", async () => {
    // Guards the test above against a helper that passes on anything: as the table owner the
    // same insert succeeds, so expectDenied must report it.
    const outcome = await db.sql
      .begin(async (tx) => {
        await tx.savepoint((sp) => sp.unsafe(FACT_INSERT));
        return "succeeded";
      })
      .catch((e: { code?: string }) => e.code);
    expect(outcome).toBe("succeeded");
    await db.sql`DELETE FROM dwh.facts WHERE id_note = 1`;
  });
});

describe("osm_notes_etl (created by the migrations)", () => {
  test("writes facts and dimensions, creates partitions and staging tables, but cannot drop dwh tables", async () => {
    await as("osm_notes_etl", async (tx) => {
      await tx.unsafe(FACT_INSERT);
      await tx`UPDATE dwh.dimension_users SET modified = true WHERE user_id = -1`;
      await tx`INSERT INTO dwh.etl_runs (mode) VALUES ('first')`;
      await tx`SELECT dwh.ensure_fact_partitions(2045, 2045)`;
      await tx`SELECT dwh.ensure_days('2045-01-01', '2045-01-31')`;
      await tx.unsafe("CREATE UNLOGGED TABLE staging.run_notes (note_id int)");
      await expectDenied(tx, "DROP TABLE dwh.facts");
      await expectDenied(tx, "CREATE TABLE public.etl_table (id int)");
    });
  });
});

describe("dwh.grant_roles with other names", () => {
  const suffix = `${process.pid}_${Date.now() % 100000}`;
  const writer = `osmn_test_w_${suffix}`;
  const analyst = `osmn_test_a_${suffix}`;
  let other: TestDatabase;

  beforeAll(async () => {
    other = await freshDatabase(template);
  }, 60_000);
  afterAll(async () => {
    await other.drop();
    // Grants die with the databases; the roles are cluster-wide and must go explicitly.
    await db.sql.unsafe(`REVOKE ALL ON ALL TABLES IN SCHEMA dwh FROM ${analyst}, ${writer}`).catch(() => {});
    await db.sql.unsafe(`DROP OWNED BY ${analyst}, ${writer}`).catch(() => {});
    const { admin } = await testServer();
    await admin.unsafe(`DROP ROLE IF EXISTS ${analyst}`);
    await admin.unsafe(`DROP ROLE IF EXISTS ${writer}`);
  }, 30_000);

  test("creates missing roles once, tolerates concurrent calls from two databases, and grants per database", async () => {
    const a = connect(db.url, { max: 1 });
    const b = connect(other.url, { max: 1 });
    try {
      // Same new role names from two databases at once: CREATE ROLE must not fail in either.
      await Promise.all([
        a`SELECT dwh.grant_roles(${writer}, ${analyst})`,
        b`SELECT dwh.grant_roles(${writer}, ${analyst})`,
      ]);
      await a`SELECT dwh.grant_roles(${writer}, ${analyst})`; // idempotent
    } finally {
      await a.end({ timeout: 5 });
      await b.end({ timeout: 5 });
    }
    const [roles] = await db.sql`
      SELECT count(*)::int AS n, bool_and(NOT rolcanlogin) AS nologin FROM pg_roles WHERE rolname IN (${writer}, ${analyst})`;
    expect(roles).toEqual({ n: 2, nologin: true });
    await as(analyst, async (tx) => {
      await tx`SELECT count(*) FROM dwh.facts`;
      await expectDenied(tx, FACT_INSERT);
    });
    await as(writer, async (tx) => {
      await tx.unsafe(FACT_INSERT);
    });
  });
});
