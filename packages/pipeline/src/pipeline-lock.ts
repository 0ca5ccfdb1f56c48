import type { Sql } from "postgres";
import { acquireRunLock, EtlError } from "@osm-notes/etl";
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
  try {
    return await acquireRunLock(sql, { ...options, key: options.key ?? PIPELINE_LOCK_KEY, holderLabel: "pipeline run" });
  } catch (err) {
    if (err instanceof EtlError && err.code === "locked") {
      throw new PipelineError("locked", err.message,
        "Nothing to do: the running one covers this cycle (cron tries again next time); a crashed run frees the lock by itself.",
        err, "lock");
    }
    throw err;
  }
}
