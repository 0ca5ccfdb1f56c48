// Benchmark of the JSON and CSV exports on generated data (not a test):
//   bun packages/exporter/bench/export.bench.ts [notes=100000] [incrementalActions=2000]
// generate(seed 1) → ETL → datamarts --all → full JSON export with validation → appendActivity
// → incremental ETL → touched datamarts → incremental JSON export → CSV export. Each export runs
// in its own process (bench/_export-step.ts) so the printed peak RSS is the export's alone.
// Uses TEST_DATABASE_URL / TEST_PG_BIN like the tests (an ephemeral database). One JSON line
// per step.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appendActivity, applyBaseTables, freshDatabase, generate, markBaseLoadComplete, type Sql } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts } from "@osm-notes/datamarts";

const notes = Number(process.argv[2] ?? 100_000);
const actions = Number(process.argv[3] ?? 2_000);
// The generator's data ends on 2025-11-20; appendActivity adds the next 15 minutes (2025-11-21).
const asOf = new Date("2025-11-21T12:00:00Z");
const step = fileURLToPath(new URL("./_export-step.ts", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "osmn-export-bench-"));
const out = join(work, "data");
const log = (name: string, extra: Record<string, unknown>) => console.log(JSON.stringify({ notes, step: name, ...extra }));
const secondsSince = (t: number) => +((performance.now() - t) / 1000).toFixed(1);

log("machine", { cpus: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), loadavg: loadavg().map((l) => +l.toFixed(1)) });
const db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
function exportStep(name: string): void {
  const r = spawnSync(process.execPath, [step, db.url, name === "csv" ? join(work, "csv") : out, name, asOf.toISOString()], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
  console.log(r.stdout.trim().replace(/^\{/, `{"notes":${notes},`));
}
try {
  let t = performance.now();
  const gen = await generate(db.sql, { notes, seed: 1 });
  await markBaseLoadComplete(db.sql);
  log("generate", { actions: gen.actions, seconds: secondsSince(t) });
  t = performance.now();
  await runEtl(db.sql);
  // Fresh statistics for the datamart build's planner (what a cron run would have by then).
  await db.sql.unsafe("ANALYZE");
  log("etl", { seconds: secondsSince(t) });
  t = performance.now();
  const slow = (p: { datamart: string; step: string; seconds: number }) => {
    if (p.seconds > 20) log("datamarts slow step", { datamart: p.datamart, family: p.step, seconds: +p.seconds.toFixed(1) });
  };
  await buildDatamarts(db.sql, { scope: "all", asOf, onProgress: slow });
  const [size] = await db.sql<{ users: number; countries: number }[]>`
    SELECT (SELECT count(*) FROM dwh.datamartusers)::integer AS users, (SELECT count(*) FROM dwh.datamartcountries)::integer AS countries`;
  log("datamarts --all", { ...size, seconds: secondsSince(t) });

  exportStep("json-full");
  exportStep("json-incremental"); // nothing changed

  t = performance.now();
  const added = await appendActivity(db.sql, { actions, seed: 1 });
  await runEtl(db.sql);
  const touched = await buildDatamarts(db.sql, { scope: "touched", asOf, onProgress: slow });
  log("append + etl + datamarts touched", {
    actions: added,
    rowsChanged: Object.fromEntries(touched.datamarts.map((d) => [d.datamart, d.rowsWritten + d.timeRelativeRows])),
    seconds: secondsSince(t),
  });
  exportStep("json-incremental");
  exportStep("csv");
  log("machine after", { loadavg: loadavg().map((l) => +l.toFixed(1)) });
} finally {
  await db.drop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
