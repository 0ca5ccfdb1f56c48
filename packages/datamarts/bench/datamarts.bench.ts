// Benchmark of the datamart build on generated data loaded by the real ETL.
//   bun packages/datamarts/bench/datamarts.bench.ts [notes=100000] [incrementalActions=2000]
// Uses TEST_DATABASE_URL / TEST_PG_BIN like the tests (an ephemeral database), prints one JSON
// line per step: full build, no-op touched build, daily time-relative pass, and a touched build
// after an incremental ETL run of about `incrementalActions` actions.
import { applyBaseTables, freshDatabase, generate, markBaseLoadComplete, type Sql } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts, type BuildReport } from "../src/index.ts";

const notes = Number(process.argv[2] ?? 100_000);
const incremental = Number(process.argv[3] ?? 2_000);
const asOf = new Date("2025-11-20T12:00:00Z"); // the generator's last day
const db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
const log = (step: string, extra: Record<string, unknown>) => console.log(JSON.stringify({ notes, step, ...extra }));
const summary = (r: BuildReport) =>
  Object.fromEntries(r.datamarts.map((d) => [d.datamart, { entities: d.entities, written: d.rowsWritten, timeRelative: d.timeRelativeRows, s: +d.seconds.toFixed(2) }]));
const slowest = (r: BuildReport) =>
  Object.fromEntries(
    r.datamarts
      .flatMap((d) => Object.entries(d.families).map(([k, v]) => [`${d.datamart} ${k}`, +v.seconds.toFixed(2)] as const))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12),
  );
try {
  let t = performance.now();
  const gen = await generate(db.sql, { notes, seed: 7 });
  log("generate", { actions: gen.actions, seconds: +((performance.now() - t) / 1000).toFixed(1) });
  await markBaseLoadComplete(db.sql);
  // Hold back the newest actions (and their notes' later actions) for one incremental run.
  await db.sql.unsafe(`
    CREATE TABLE hold_comments AS SELECT * FROM public.note_comments ORDER BY created_at DESC LIMIT ${incremental};
    CREATE TABLE hold_texts AS SELECT t.* FROM public.note_comments_text t JOIN hold_comments c USING (note_id, sequence_action);
    DELETE FROM public.note_comments_text t USING hold_texts h WHERE t.note_id = h.note_id AND t.sequence_action = h.sequence_action;
    DELETE FROM public.note_comments c USING hold_comments h WHERE c.note_id = h.note_id AND c.sequence_action = h.sequence_action;`);
  t = performance.now();
  const etl = await runEtl(db.sql);
  log("etl-first", { facts: etl.factsInserted, seconds: +((performance.now() - t) / 1000).toFixed(1) });
  const [size] = await db.sql`SELECT count(*)::integer AS facts FROM dwh.facts`;

  const full = await buildDatamarts(db.sql, { scope: "all", asOf });
  log("datamarts --all", { facts: size!.facts, seconds: +full.seconds.toFixed(2), by: summary(full) });
  log("datamarts --all slowest steps", { steps: slowest(full) });

  const noop = await buildDatamarts(db.sql, { asOf });
  log("datamarts touched, nothing touched", { seconds: +noop.seconds.toFixed(2), by: summary(noop) });

  const daily = await buildDatamarts(db.sql, { asOf: new Date(asOf.getTime() + 86_400_000) });
  log("datamarts touched, first build of a new day (time-relative pass over every row)", { seconds: +daily.seconds.toFixed(2), by: summary(daily) });

  await db.sql.unsafe(`
    INSERT INTO public.note_comments SELECT * FROM hold_comments;
    INSERT INTO public.note_comments_text SELECT * FROM hold_texts;`);
  t = performance.now();
  const inc = await runEtl(db.sql);
  log("etl-incremental", { facts: inc.factsInserted, seconds: +((performance.now() - t) / 1000).toFixed(1) });
  const touched = await buildDatamarts(db.sql, { asOf: new Date(asOf.getTime() + 86_400_000) });
  log("datamarts touched after the incremental run", { seconds: +touched.seconds.toFixed(2), by: summary(touched) });
  log("touched slowest steps", { steps: slowest(touched) });
} finally {
  await db.drop();
}
process.exit(0);
