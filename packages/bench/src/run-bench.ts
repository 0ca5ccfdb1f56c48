import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { buildDatamarts } from "@osm-notes/datamarts";
import { exportJsonFromDatabase } from "@osm-notes/exporter";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { appendActivity, applyBaseTables, connect, generate, startPostgres, type Sql } from "@osm-notes/testkit";
import { peakRssMb, type BenchResult } from "./measure.ts";

export const BENCH_STAGES = ["generate", "etl", "datamarts", "export"] as const;
export type BenchStage = (typeof BENCH_STAGES)[number];

export interface BenchOptions {
  scales: readonly number[];
  stages?: readonly BenchStage[];
  seed?: number;
  /** PostgreSQL bin directory; default: the embedded binaries. */
  pgBin?: string;
  onResult?: (result: BenchResult) => void;
  onInfo?: (message: string) => void;
}

export interface BenchReport {
  machine: string;
  server: string;
  results: BenchResult[];
}

/**
 * Runs the benchmark suite on a throw-away PostgreSQL cluster (never on the user's data):
 * for each scale, a fresh database, then each stage, measured.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const stages = options.stages ?? BENCH_STAGES;
  const server = await startPostgres({
    binDir: options.pgBin,
    // Settings of a small dedicated server (2 cores, 24 GB): what an operator would set.
    settings: { shared_buffers: "2GB", work_mem: "64MB", maintenance_work_mem: "1GB", max_wal_size: "8GB", checkpoint_timeout: "30min" },
  });
  const admin = connect(server.url, { max: 1 });
  const results: BenchResult[] = [];
  try {
    for (const scale of options.scales) {
      const name = `osmn_bench_${scale}`;
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const sql = connect(server.urlFor(name), { max: 4 });
      try {
        await applyBaseTables(sql);
        await migrate(sql);
        for (const stage of stages) {
          const measured = await measure(sql, scale, stage, options);
          for (const m of measured) {
            results.push(m);
            options.onResult?.(m);
          }
        }
      } finally {
        await sql.end({ timeout: 5 });
      }
      await admin.unsafe(`DROP DATABASE ${name}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
    await server.stop();
  }
  return { machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`, server: server.version, results };
}

async function measure(sql: Sql, scale: number, stage: BenchStage, options: BenchOptions): Promise<BenchResult[]> {
  const size = async () => {
    const [row] = await sql<{ mb: number }[]>`SELECT round(pg_database_size(current_database()) / 1048576.0)::int AS mb`;
    return row!.mb;
  };
  switch (stage) {
    case "generate": {
      const report = await generate(sql, { notes: scale, seed: options.seed ?? 1, replace: true });
      const rows = report.notes + 2 * report.actions + report.users;
      return [{ scale, step: "generate (notes + actions + texts + users)", rows, seconds: report.seconds, rowsPerSecond: rows / report.seconds, peakRssMb: peakRssMb(), databaseMb: await size() }];
    }
    case "etl": {
      const first = await runEtl(sql, { validate: false, onProgress: (p) => options.onInfo?.(`  etl ${p.step}: ${p.rows} rows, ${p.seconds} s`) });
      const results: BenchResult[] = [{ scale, step: `etl ${first.mode} load (facts)`, rows: first.factsInserted, seconds: first.seconds, rowsPerSecond: first.factsInserted / first.seconds, peakRssMb: peakRssMb(), databaseMb: await size() }];
      await appendActivity(sql, { actions: 2000, seed: options.seed ?? 1 });
      const next = await runEtl(sql, { validate: false });
      results.push({ scale, step: "etl incremental (+2 000 actions)", rows: next.factsInserted, seconds: next.seconds, rowsPerSecond: next.factsInserted / next.seconds, peakRssMb: peakRssMb(), databaseMb: await size() });
      return results;
    }
    case "datamarts": {
      // After the etl stage: a full build, then a touched build after another 2 000 actions.
      const all = await buildDatamarts(sql, { scope: "all" });
      const entities = (r: typeof all) => r.datamarts.reduce((n, d) => n + d.entities, 0);
      const results: BenchResult[] = [{ scale, step: "datamarts --all (entities)", rows: entities(all), seconds: all.seconds, rowsPerSecond: entities(all) / all.seconds, peakRssMb: peakRssMb(), databaseMb: await size() }];
      // Two cycles, as for the export: the first touched build comes right after the full one
      // rewrote every row, the second is the cron's steady state (measured in session 17: not
      // faster; both vary by about 1 s from run to run on the 2-core machine).
      for (const [i, at] of ["2025-11-21 01:00:00", "2025-11-21 01:15:00"].entries()) {
        await appendActivity(sql, { actions: 2000, seed: (options.seed ?? 1) + (i === 0 ? 1 : 4), at });
        await runEtl(sql, { validate: false });
        const touched = await buildDatamarts(sql, { scope: "touched" });
        const label = i === 0 ? "first after --all" : "steady state";
        results.push({ scale, step: `datamarts touched (+2 000 actions, ${label})`, rows: entities(touched), seconds: touched.seconds, rowsPerSecond: entities(touched) / touched.seconds, peakRssMb: peakRssMb(), databaseMb: await size() });
      }
      return results;
    }
    case "export": {
      const dir = mkdtempSync(join(tmpdir(), "osmn-bench-export-"));
      try {
        const full = await exportJsonFromDatabase(sql, { outDir: join(dir, "data"), full: true });
        const results: BenchResult[] = [{ scale, step: "export json full (documents, validated)", rows: full.documents, seconds: full.seconds, rowsPerSecond: full.documents / full.seconds, peakRssMb: peakRssMb(), databaseMb: await size() }];
        // Two cycles: the first incremental export after a full one brings the full export's
        // twin up to date; from the second on, the version before the current is reused (the
        // cron steady state).
        for (const [i, at] of ["2025-11-21 02:00:00", "2025-11-21 02:15:00"].entries()) {
          await appendActivity(sql, { actions: 2000, seed: (options.seed ?? 1) + 2 + i, at });
          await runEtl(sql, { validate: false });
          await buildDatamarts(sql, { scope: "touched" });
          const next = await exportJsonFromDatabase(sql, { outDir: join(dir, "data") });
          const label = i === 0 ? "first after a full one" : "steady state";
          results.push({ scale, step: `export json incremental (+2 000 actions, ${label})`, rows: next.written, seconds: next.seconds, rowsPerSecond: next.written / next.seconds, peakRssMb: peakRssMb(), databaseMb: await size() });
        }
        return results;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}
