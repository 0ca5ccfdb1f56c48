import { homedir } from "node:os";
import { join } from "node:path";
import { connect, startPostgres, type Sql } from "@osm-notes/testkit";
import type { ConsolaInstance } from "consola";
import type { Env } from "./config.ts";

export interface Database {
  sql: Sql;
  url: string;
  close(): Promise<void>;
}

/** Where the embedded PostgreSQL keeps its cluster when DATABASE_URL is unset. */
export function embeddedDataDir(env: Env): string {
  const base = env.OSMN_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "osm-notes");
  return join(base, "pg");
}

/**
 * The dwh database: DATABASE_URL, or else an embedded PostgreSQL started on demand in the
 * user's data directory (kept between runs, stopped when the command ends).
 */
export async function openDatabase(env: Env, logger: ConsolaInstance): Promise<Database> {
  if (env.DATABASE_URL) {
    const sql = connect(env.DATABASE_URL);
    return { sql, url: env.DATABASE_URL, close: () => sql.end({ timeout: 5 }) };
  }
  const dataDir = embeddedDataDir(env);
  logger.info(`DATABASE_URL is not set: using the embedded PostgreSQL in ${dataDir}`);
  const server = await startPostgres({ dataDir, persistent: true });
  const sql = connect(server.url);
  return {
    sql,
    url: server.url,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
    },
  };
}
