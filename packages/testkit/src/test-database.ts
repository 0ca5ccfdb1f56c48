import { startPostgres, type PostgresServer } from "./postgres-server.ts";
import { applyBaseTables } from "./base-tables.ts";
import { connect, type Sql } from "./connect.ts";

/** A template database prepared once per test process, then copied for each test file. */
export interface TemplateSpec {
  /** Short identifier, `[a-z0-9_]+`. */
  name: string;
  prepare(sql: Sql): Promise<void>;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A pool on this database (TimeZone UTC, notices silenced). */
  readonly sql: Sql;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

interface TestServer {
  urlFor(database: string): string;
  admin: Sql;
}

/** The base-table contract only: what OSM-Notes-Ingestion would leave. */
export const baseTemplate: TemplateSpec = { name: "base", prepare: applyBaseTables };

let serverPromise: Promise<TestServer> | undefined;
const templates = new Map<string, Promise<string>>();
let counter = 0;

/**
 * The PostgreSQL of this test run: `TEST_DATABASE_URL` when set (a role that may create
 * databases), else a cluster started from `TEST_PG_BIN` or the embedded binaries, once per
 * process and removed at exit.
 */
export function testServer(): Promise<TestServer> {
  serverPromise ??= (async () => {
    const external = process.env.TEST_DATABASE_URL;
    if (external) {
      const url = new URL(external);
      return { admin: connect(external, { max: 2 }), urlFor: (db) => withDatabase(url, db) };
    }
    const server: PostgresServer = await startPostgres({ binDir: process.env.TEST_PG_BIN || undefined });
    return { admin: connect(server.url, { max: 2 }), urlFor: server.urlFor };
  })();
  return serverPromise;
}

/**
 * A new database for one test file, copied from `template` (prepared on first use), so
 * files never see each other's rows. Call `drop()` in afterAll.
 */
export async function freshDatabase(template: TemplateSpec = baseTemplate): Promise<TestDatabase> {
  const server = await testServer();
  const templateName = await ensureTemplate(server, template);
  const name = `osmn_t_${process.pid}_${++counter}`;
  await server.admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
  const url = server.urlFor(name);
  const sql = connect(url, { max: 4 });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await server.admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function ensureTemplate(server: TestServer, template: TemplateSpec): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(template.name)) throw new Error(`bad template name ${template.name}`);
  let made = templates.get(template.name);
  if (!made) {
    made = (async () => {
      // pid in the name: several test processes may share one TEST_DATABASE_URL server.
      const name = `osmn_tpl_${template.name}_${process.pid}`;
      await server.admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.admin.unsafe(`CREATE DATABASE ${name}`);
      const sql = connect(server.urlFor(name), { max: 1 });
      try {
        await template.prepare(sql);
      } finally {
        await sql.end({ timeout: 5 });
      }
      return name;
    })();
    templates.set(template.name, made);
  }
  return made;
}

function withDatabase(url: URL, database: string): string {
  const copy = new URL(url);
  copy.pathname = `/${encodeURIComponent(database)}`;
  return copy.toString();
}

export type { Sql };
