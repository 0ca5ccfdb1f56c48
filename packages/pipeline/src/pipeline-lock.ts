import type { ReservedSql, Sql } from "postgres";
import { PipelineError } from "./pipeline-error.ts";

/**
 * Advisory lock key of pipeline runs. Distinct from the ETL's (741 001), so a pipeline run
 * holds both in a fixed order — pipeline, then ETL during the ETL step — and a hand-started
 * `etl` (ETL key only) can neither deadlock with it nor overlap its ETL step.
 */
export const PIPELINE_LOCK_KEY = 741_002;

export interface PipelineLock {
  release(): Promise<void>;
}

/**
 * Takes the session-level advisory lock on a reserved connection: held for the whole run,
 * across hosts, and freed by the server when the process dies (kill -9, OOM). A second run
 * waits up to `waitMs` (default 0), then fails with code "locked" naming the holder.
 */
export async function acquirePipelineLock(sql: Sql<any>, options: { waitMs?: number; pollMs?: number; key?: number } = {}): Promise<PipelineLock> {
  const key = options.key ?? PIPELINE_LOCK_KEY;
  const deadline = Date.now() + (options.waitMs ?? 0);
  const conn: ReservedSql<any> = await sql.reserve();
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
      await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 500, Math.max(1, deadline - Date.now()))));
    }
    const [holder] = await conn<{ pid: number; since: string | null }[]>`
      SELECT l.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS since
      FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ${key} AND l.objsubid = 1
      LIMIT 1`;
    throw new PipelineError(
      "locked",
      `Another pipeline run holds the lock${holder ? ` (server pid ${holder.pid}, connected since ${holder.since})` : ""}`,
      "Nothing to do: the running one covers this cycle (cron tries again next time); a crashed run frees the lock by itself.",
      undefined,
      "lock",
    );
  } catch (err) {
    conn.release();
    throw err;
  }
}
