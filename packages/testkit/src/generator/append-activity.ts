import { fileURLToPath } from "node:url";
import type { Sql } from "../connect.ts";

export interface AppendActivityOptions {
  /** About how many actions to add. */
  actions: number;
  /** Seed of PostgreSQL's random(): the same seed on the same data adds the same rows. */
  seed?: number;
  /** Around when they happen (UTC, `YYYY-MM-DD HH:MM:SS`); default 2025-11-21 00:00:00. */
  at?: string;
}

const sqlDir = fileURLToPath(new URL("../../sql/activity/", import.meta.url));

/**
 * Adds a realistic 15 minutes of new activity to the base tables, as an Ingestion API sync
 * would: 40 % new notes, 35 % closes, 20 % comments, 5 % reopenings, set-based. For
 * incremental ETL tests and benchmarks. Returns the number of actions added.
 */
export async function appendActivity(sql: Sql, options: AppendActivityOptions): Promise<number> {
  const at = options.at ?? "2025-11-21 00:00:00";
  const share = (p: number) => Math.round(options.actions * p);
  return sql.begin(async (tx) => {
    await tx`SELECT setseed(${(options.seed ?? 1) % 1000 / 1000})`;
    let added = (await tx.file(`${sqlDir}new-notes.sql`, [share(0.4), at])).count;
    for (const [event, p] of [["closed", 0.35], ["commented", 0.2], ["reopened", 0.05]] as const) {
      added += (await tx.file(`${sqlDir}act-on-notes.sql`, [share(p), at, event])).count;
    }
    return added;
  });
}
