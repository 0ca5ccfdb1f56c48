import { homedir } from "node:os";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { connect, startPostgres, type Sql } from "@osm-notes/testkit";
import type { ConsolaInstance } from "consola";
import type { Env } from "./config.ts";

export interface Database {
  sql: Sql;
  url: string;
  close(): Promise<void>;
}

/** Where root keeps service data when its home is closed to others. */
export const ROOT_DATA_ROOT = "/var/lib/osm-notes";

/**
 * The CLI's data directory: OSMN_DATA_DIR, else ~/.local/share/osm-notes. As root, the embedded
 * PostgreSQL runs as the `postgres` user, which cannot enter a 0700 home (/root): then
 * /var/lib/osm-notes, root's usual place for service data.
 */
export function dataRoot(env: Pick<Env, "OSMN_DATA_DIR">): string {
  if (env.OSMN_DATA_DIR) return env.OSMN_DATA_DIR;
  const dir = join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "osm-notes");
  return process.getuid?.() === 0 && blockedAncestor(dir) !== undefined ? ROOT_DATA_ROOT : dir;
}

/** Where the embedded PostgreSQL keeps its cluster when DATABASE_URL is unset. */
export function embeddedDataDir(env: Env): string {
  return join(dataRoot(env), "pg");
}

/** The first existing ancestor of `path` that other users cannot traverse (o+x missing). */
export function blockedAncestor(path: string): string | undefined {
  for (let p = resolve(path); ; p = dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) return p;
    if (dirname(p) === p) return undefined;
  }
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
