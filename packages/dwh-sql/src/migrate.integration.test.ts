import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cp, mkdtemp, readdir, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, freshDatabase, type TestDatabase } from "@osm-notes/testkit";
import { DWH_MIGRATIONS_DIR, DWH_SCHEMA_VERSION, DwhError, dwhStatus, migrate } from "./index.ts";

// A database with nothing in it: not even the base tables.
const emptyTemplate = { name: "empty", prepare: async () => {} };

const shipped = (await readdir(DWH_MIGRATIONS_DIR)).filter((n) => n.endsWith(".sql")).sort();

describe("migrate on an empty database", () => {
  let db: TestDatabase;
  const logged: string[] = [];
  let first: Awaited<ReturnType<typeof migrate>>;

  beforeAll(async () => {
    db = await freshDatabase(emptyTemplate);
    first = await migrate(db.sql, { logger: { info: (m) => logged.push(m) } });
  }, 60_000);
  afterAll(() => db.drop(), 30_000);

  test("applies every shipped file in order and logs each", () => {
    expect(shipped.length).toBeGreaterThan(20);
    expect(first.applied).toEqual(shipped);
    expect(first.version).toBe(DWH_SCHEMA_VERSION);
    expect(logged.filter((l) => l.startsWith("applied "))).toHaveLength(shipped.length);
  });

  test("records each file with its sha256", async () => {
    const history = await db.sql<{ name: string; sha256: string }[]>`SELECT name, sha256 FROM dwh.schema_migrations ORDER BY id`;
    expect(history.map((h) => h.name)).toEqual(shipped);
    for (const h of history) expect(h.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a second run applies nothing and says so", async () => {
    const lines: string[] = [];
    const again = await migrate(db.sql, { logger: { info: (m) => lines.push(m) } });
    expect(again).toEqual({ version: DWH_SCHEMA_VERSION, applied: [] });
    expect(lines.join("\n")).toContain("up to date");
  });

  test("upserts public.schema_version component dwh, updated_at unchanged while the version is", async () => {
    const [before] = await db.sql`SELECT version, updated_at FROM public.schema_version WHERE component = 'dwh'`;
    expect(before?.version).toBe(DWH_SCHEMA_VERSION);
    await migrate(db.sql);
    const [after] = await db.sql`SELECT version, updated_at FROM public.schema_version WHERE component = 'dwh'`;
    expect(after?.updated_at).toEqual(before?.updated_at);
  });

  test("dwhStatus reports a compatible, fully migrated database", async () => {
    expect(await dwhStatus(db.sql)).toEqual({
      schemaVersion: DWH_SCHEMA_VERSION,
      expectedVersion: DWH_SCHEMA_VERSION,
      compatible: true,
      pending: [],
    });
  });

  test("the history lives in dwh, the staging schema exists", async () => {
    const schemas = await db.sql`SELECT nspname FROM pg_namespace WHERE nspname IN ('dwh', 'staging') ORDER BY 1`;
    expect(schemas.map((s) => s.nspname)).toEqual(["dwh", "staging"]);
  });
});

describe("dwhStatus before any migration", () => {
  test("no version, incompatible, everything pending", async () => {
    const db = await freshDatabase(emptyTemplate);
    try {
      const status = await dwhStatus(db.sql);
      expect(status).toEqual({ schemaVersion: null, expectedVersion: DWH_SCHEMA_VERSION, compatible: false, pending: shipped });
    } finally {
      await db.drop();
    }
  }, 60_000);
});

describe("two migrate calls at once", () => {
  test("one applies everything, the other waits for the lock and applies nothing", async () => {
    const db = await freshDatabase(emptyTemplate);
    // Two independent pools: two real server sessions competing for the advisory lock.
    const a = connect(db.url, { max: 2 });
    const b = connect(db.url, { max: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const counts = [ra.applied.length, rb.applied.length].sort((x, y) => x - y);
      expect(counts).toEqual([0, shipped.length]);
      const [{ n }] = (await db.sql`SELECT count(*)::int AS n FROM dwh.schema_migrations`) as unknown as [{ n: number }];
      expect(n).toBe(shipped.length);
    } finally {
      await a.end({ timeout: 5 });
      await b.end({ timeout: 5 });
      await db.drop();
    }
  }, 60_000);

  test("the second really waits while the first holds the lock", async () => {
    const db = await freshDatabase(emptyTemplate);
    const holder = connect(db.url, { max: 1 });
    const runner = connect(db.url, { max: 2 });
    try {
      const c = await holder.reserve();
      await c`SELECT pg_advisory_lock(hashtextextended('osm-notes-dwh:migrate', 0))`;
      let settled = false;
      const run = migrate(runner).finally(() => (settled = true));
      await Bun.sleep(500);
      expect(settled).toBe(false);
      const [waiting] = await db.sql`
        SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
      expect(waiting?.n).toBe(1);
      await c`SELECT pg_advisory_unlock(hashtextextended('osm-notes-dwh:migrate', 0))`;
      c.release();
      expect((await run).applied).toEqual(shipped);
    } finally {
      await holder.end({ timeout: 5 });
      await runner.end({ timeout: 5 });
      await db.drop();
    }
  }, 60_000);
});

describe("an edited applied migration", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dwh-sql-migrations-"));
    await cp(DWH_MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("makes migrate fail with an error naming the file", async () => {
    const db = await freshDatabase(emptyTemplate);
    try {
      await migrate(db.sql, { migrationsDir: dir });
      await appendFile(join(dir, "0003_dimension_time_of_week.sql"), "\n-- an innocent-looking edit\n");
      const err = await migrate(db.sql, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DwhError);
      expect((err as DwhError).code).toBe("migration_changed");
      expect((err as DwhError).message).toContain("0003_dimension_time_of_week.sql");
      expect((err as DwhError).hint).toContain("new migration");
    } finally {
      await db.drop();
    }
  }, 60_000);

  test("a new file after the applied ones is applied; a gap in the numbers is refused", async () => {
    const db = await freshDatabase(emptyTemplate);
    const own = await mkdtemp(join(tmpdir(), "dwh-sql-migrations-"));
    try {
      await cp(DWH_MIGRATIONS_DIR, own, { recursive: true });
      await migrate(db.sql, { migrationsDir: own });
      const next = String(shipped.length + 1).padStart(4, "0");
      await writeFile(join(own, `${next}_extra_table.sql`), "CREATE TABLE dwh.extra_table (id int);\n");
      expect((await migrate(db.sql, { migrationsDir: own })).applied).toEqual([`${next}_extra_table.sql`]);

      const gap = String(shipped.length + 3).padStart(4, "0");
      await writeFile(join(own, `${gap}_gap.sql`), "SELECT 1;\n");
      const err = await migrate(db.sql, { migrationsDir: own }).catch((e: unknown) => e);
      expect((err as DwhError).code).toBe("migrations_invalid");
      expect((err as DwhError).message).toContain(`${gap}_gap.sql`);
    } finally {
      await rm(own, { recursive: true, force: true });
      await db.drop();
    }
  }, 60_000);

  test("a failing file rolls back alone and names itself; --! no-transaction runs outside a transaction", async () => {
    const db = await freshDatabase(emptyTemplate);
    const own = await mkdtemp(join(tmpdir(), "dwh-sql-migrations-"));
    try {
      await cp(DWH_MIGRATIONS_DIR, own, { recursive: true });
      await migrate(db.sql, { migrationsDir: own });
      const n1 = String(shipped.length + 1).padStart(4, "0");
      const n2 = String(shipped.length + 2).padStart(4, "0");
      // CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
      await writeFile(join(own, `${n1}_concurrent_index.sql`),
        "--! no-transaction\nCREATE INDEX CONCURRENTLY extra_days_year ON dwh.dimension_days (year);\n");
      await writeFile(join(own, `${n2}_broken.sql`),
        "CREATE TABLE dwh.half_done (id int);\nSELECT * FROM dwh.no_such_table;\n");
      const err = await migrate(db.sql, { migrationsDir: own }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DwhError);
      expect((err as DwhError).message).toContain(`${n2}_broken.sql`);
      const [state] = await db.sql`
        SELECT to_regclass('dwh.extra_days_year') IS NOT NULL AS index_made,
               to_regclass('dwh.half_done') IS NULL AS rolled_back,
               (SELECT max(name) FROM dwh.schema_migrations) AS last`;
      expect(state).toEqual({ index_made: true, rolled_back: true, last: `${n1}_concurrent_index.sql` });
    } finally {
      await rm(own, { recursive: true, force: true });
      await db.drop();
    }
  }, 60_000);
});
