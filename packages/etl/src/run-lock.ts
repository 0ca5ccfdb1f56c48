import type { ReservedSql, Sql } from "postgres";
import { EtlError } from "./etl-error.ts";

/** Advisory lock key of ETL runs (any int4; shared by every process on any host). */
export const ETL_LOCK_KEY = 741_001;

export interface RunLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for a running ETL to finish; 0 = fail at once. */
  waitMs?: number;
  pollMs?: number;
  key?: number;
  /** What holds the lock, for the error message (default "ETL run"). */
  holderLabel?: string;
}

/**
 * Takes the session-level advisory lock on a reserved connection, so it is held for the whole
 * run, works across hosts and dies with the process (kill -9 frees it). A second run waits up
 * to `waitMs`, then fails with code "locked", naming the holder.
 */
export async function acquireRunLock(sql: Sql<{}>, options: LockOptions = {}): Promise<RunLock> {
  const key = options.key ?? ETL_LOCK_KEY;
  const deadline = Date.now() + (options.waitMs ?? 0);
  const conn: ReservedSql<{}> = await sql.reserve();
  try {
    for (;;) {
      const [row] = await conn<{ locked: boolean }[]>`SELECT pg_try_advisory_lock(${key}) AS locked`;
      if (row!.locked) {
        return {
          async release() {
            try {
              await conn`SELECT pg_advisory_unlock(${key})`;
            } finally {
              conn.release();
            }
          },
        };
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 500, Math.max(1, deadline - Date.now()))));
    }
    const holder = await describeHolder(conn, key);
    throw new EtlError("locked", `Another ${options.holderLabel ?? "ETL run"} holds the lock${holder}`,
      "Wait for it to finish (cron runs never overlap), or pass a longer wait; a crashed run frees the lock by itself.");
  } catch (err) {
    conn.release();
    throw err;
  }
}

async function describeHolder(conn: ReservedSql<{}>, key: number): Promise<string> {
  const [holder] = await conn<{ pid: number; started: string | null; host: string | null }[]>`
    SELECT l.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS started,
           coalesce(a.client_hostname, host(a.client_addr)) AS host
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ${key} AND l.objsubid = 1
    LIMIT 1`;
  return holder ? ` (server pid ${holder.pid}${holder.host ? ` from ${holder.host}` : ""}, connected since ${holder.started})` : "";
}
