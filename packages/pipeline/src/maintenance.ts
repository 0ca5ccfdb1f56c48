import type { Sql } from "postgres";
import { acquirePipelineLock } from "./pipeline-lock.ts";
import { messageOf, PipelineError } from "./pipeline-error.ts";

export interface MaintenanceOptions {
  /** Keep ETL and pipeline run records this many days (default 90). */
  runRetentionDays?: number;
  /** Keep resolved quarantine rows this many days after they were resolved (default 90). */
  quarantineRetentionDays?: number;
  /** VACUUM (ANALYZE) every dwh table, not only those with dead or changed rows. */
  all?: boolean;
  /** Skip VACUUM/ANALYZE; prune only. */
  vacuum?: boolean;
  /** Prune nothing; VACUUM/ANALYZE only. */
  prune?: boolean;
  /** How long to wait for a running pipeline (default 15 minutes: it runs every 15). */
  lockWaitMs?: number;
  logger?: { info(message: string, fields?: Record<string, unknown>): void; warn?(message: string, fields?: Record<string, unknown>): void };
}

export interface MaintenanceReport {
  pruned: { etlRuns: number; pipelineRuns: number; quarantine: number };
  /** Tables vacuumed and analyzed (leaf tables and partitions) and partitioned parents analyzed. */
  vacuumed: { table: string; deadRows: number; changedRows: number; seconds: number }[];
  analyzedParents: string[];
  /** Tables this role may not VACUUM (neither owner nor, on PostgreSQL 17+, MAINTAIN privilege). */
  skipped: string[];
  seconds: number;
}

const round = (s: number) => Math.round(s * 100) / 100;

/**
 * Weekly upkeep, under the pipeline lock (so it never competes with a run): prunes run records
 * and resolved quarantine rows older than the retention — never the last successful ETL run
 * (the watermark) nor runs the datamarts have not consumed yet — then VACUUM (ANALYZE) of the dwh tables the ETL and the datamart builds changed (dead
 * or modified rows per pg_stat_user_tables: recent fact partitions, note status, datamarts, run
 * logs), and ANALYZE of the partitioned parents, whose statistics autovacuum never gathers.
 */
export async function maintenance(sql: Sql<any>, options: MaintenanceOptions = {}): Promise<MaintenanceReport> {
  const started = performance.now();
  const runDays = options.runRetentionDays ?? 90;
  const quarantineDays = options.quarantineRetentionDays ?? 90;
  for (const [name, v] of [["runRetentionDays", runDays], ["quarantineRetentionDays", quarantineDays]] as const)
    if (!Number.isFinite(v) || v < 0) throw new PipelineError("invalid_option", `${name} must be ≥ 0, got ${v}`, "Pass a number of days.");

  const lock = await acquirePipelineLock(sql, { waitMs: options.lockWaitMs ?? 15 * 60_000 });
  try {
    const pruned = { etlRuns: 0, pipelineRuns: 0, quarantine: 0 };
    if (options.prune !== false) {
      await sql.begin(async (tx) => {
        pruned.quarantine = (await tx`
          DELETE FROM dwh.etl_quarantine
          WHERE resolved_at < (now() AT TIME ZONE 'UTC') - make_interval(days => ${quarantineDays})`).count;
        pruned.pipelineRuns = (await tx`
          DELETE FROM dwh.pipeline_runs
          WHERE status <> 'running' AND started_at < (now() AT TIME ZONE 'UTC') - make_interval(days => ${runDays})`).count;
        // Runs to prune: old, finished, not the watermark (latest success), already consumed by every datamart.
        await tx`
          CREATE TEMP TABLE prunable_runs ON COMMIT DROP AS
          SELECT run_id FROM dwh.etl_runs
          WHERE status <> 'running' AND started_at < (now() AT TIME ZONE 'UTC') - make_interval(days => ${runDays})
            AND run_id < coalesce((SELECT max(run_id) FROM dwh.etl_runs WHERE status = 'succeeded'), 0)
            AND run_id <= coalesce((SELECT min(last_etl_run_id) FROM dwh.datamart_state), 0)`;
        // Quarantine rows outlive runs (warnings are never "resolved"): they keep first/last_seen_at
        // and lose only the link to the pruned run (no ETL logic reads it).
        await tx`UPDATE dwh.etl_quarantine SET first_run_id = NULL WHERE first_run_id IN (SELECT run_id FROM prunable_runs)`;
        await tx`UPDATE dwh.etl_quarantine SET last_run_id = NULL WHERE last_run_id IN (SELECT run_id FROM prunable_runs)`;
        pruned.etlRuns = (await tx`DELETE FROM dwh.etl_runs WHERE run_id IN (SELECT run_id FROM prunable_runs)`).count;
      });
      options.logger?.info(`pruned ${pruned.etlRuns} ETL runs, ${pruned.pipelineRuns} pipeline runs, ${pruned.quarantine} resolved quarantine rows`, pruned);
    }

    const vacuumed: MaintenanceReport["vacuumed"] = [];
    const analyzedParents: string[] = [];
    const skipped: string[] = [];
    if (options.vacuum !== false) {
      // VACUUM skips, with a mere warning, tables the role may not maintain: list them instead.
      const tables = await sql<{ relname: string; dead: number; changed: number; allowed: boolean }[]>`
        SELECT s.relname, s.n_dead_tup::float8 AS dead, s.n_mod_since_analyze::float8 AS changed,
               pg_has_role(c.relowner, 'USAGE')
                 OR CASE WHEN current_setting('server_version_num')::int >= 170000
                         THEN has_table_privilege(c.oid, 'MAINTAIN') ELSE false END AS allowed
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.schemaname = 'dwh' AND c.relkind = 'r'
          AND (${options.all === true} OR s.n_dead_tup > 0 OR s.n_mod_since_analyze > 0)
        ORDER BY s.relname`;
      skipped.push(...tables.filter((t) => !t.allowed).map((t) => t.relname));
      if (skipped.length > 0)
        options.logger?.warn?.(`maintenance: this role may not VACUUM ${skipped.length} dwh table(s) (${skipped.slice(0, 5).join(", ")}…): run it as the schema owner, or GRANT MAINTAIN (PostgreSQL 17+)`);
      for (const t of tables.filter((x) => x.allowed)) {
        const t0 = performance.now();
        // One statement per table outside any transaction (VACUUM cannot run inside one).
        await sql.unsafe(`VACUUM (ANALYZE) dwh."${t.relname.replace(/"/g, '""')}"`);
        vacuumed.push({ table: t.relname, deadRows: t.dead, changedRows: t.changed, seconds: round((performance.now() - t0) / 1000) });
        options.logger?.info(`VACUUM ANALYZE dwh.${t.relname} took ${round((performance.now() - t0) / 1000)} seconds`, { table: t.relname });
      }
      const parents = await sql<{ relname: string }[]>`
        SELECT relname FROM pg_class WHERE relnamespace = 'dwh'::regnamespace AND relkind = 'p' ORDER BY relname`;
      for (const p of parents.filter((x) => !skipped.includes(x.relname))) {
        await sql.unsafe(`ANALYZE dwh."${p.relname.replace(/"/g, '""')}"`);
        analyzedParents.push(p.relname);
      }
    }
    return { pruned, vacuumed, analyzedParents, skipped, seconds: round((performance.now() - started) / 1000) };
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw new PipelineError("query_failed", `maintenance failed: ${messageOf(err)}`, "See the error above; pruning is one transaction and was rolled back.", err);
  } finally {
    await lock.release().catch(() => {});
  }
}
