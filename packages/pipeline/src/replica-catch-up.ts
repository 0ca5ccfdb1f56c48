import type { Sql } from "postgres";

/**
 * Waits until the read replica has replayed the primary's WAL up to now, so an export that
 * reads it sees the datamarts this run just built. True when caught up (or when readSql is not
 * a standby: pg_last_wal_replay_lsn() is NULL there); false after `timeoutMs`.
 */
export async function waitForReplica(primary: Sql<any>, replica: Sql<any>, timeoutMs: number): Promise<boolean> {
  const [target] = await primary<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await replica<{ done: boolean | null }[]>`
      SELECT pg_last_wal_replay_lsn() >= ${target!.lsn}::pg_lsn AS done`;
    if (row!.done === null || row!.done) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}
