import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import * as z from "zod";
import { migrate } from "@osm-notes/dwh-sql";
import { runPipeline, warehouseSummary, type PipelineReport, type WarehouseSummary } from "@osm-notes/pipeline";
import {
  appendActivity,
  applyBaseTables,
  connect,
  generate,
  loadNotesXml,
  markBaseLoadComplete,
  openNotesFile,
  startPostgres,
  type PostgresServer,
  type Sql,
} from "@osm-notes/testkit";
import { blockedAncestor, dataRoot, ROOT_DATA_ROOT } from "../database.ts";
import { createLogger, packageLogger } from "../logger.ts";

const argsSchema = z.object({
  "data-dir": z.string().min(1).optional(),
  notes: z.coerce.number().int().min(1).max(10_000_000),
  seed: z.coerce.number().int().min(0),
  planet: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  fresh: z.boolean(),
});

/** The demo's own directory: never the cluster `DATABASE_URL` or the CLI's embedded default point at. */
function defaultDataDir(): string {
  return join(dataRoot({ OSMN_DATA_DIR: undefined }), "demo");
}

export default defineCommand({
  meta: {
    name: "demo",
    description:
      "Zero setup: start an embedded PostgreSQL in a data directory, create the warehouse, load sample data (generated, or " +
      "--planet FILE), run the whole pipeline, write the JSON tree, print a summary. Run it again on the same --data-dir: " +
      "it adds 15 minutes of simulated activity and runs the pipeline incrementally (--fresh starts over).",
  },
  args: {
    "data-dir": { type: "string", description: "Where the cluster and the JSON tree live (default ~/.local/share/osm-notes/demo)" },
    notes: { type: "string", description: "Notes to generate on the first run", default: "20000" },
    seed: { type: "string", description: "Seed of the generator", default: "1" },
    planet: { type: "string", description: "Load this OSM planet notes dump (.osn, .osn.gz, .osn.bz2) instead of generating" },
    out: { type: "string", description: "JSON tree directory (default <data-dir>/json)" },
    fresh: { type: "boolean", description: "Delete the demo's cluster and tree first", default: false },
  },
  async run({ args }) {
    const logger = createLogger(process.env.OSMN_LOG_FORMAT === "json" ? "json" : "text");
    let server: PostgresServer | undefined;
    let sql: Sql | undefined;
    try {
      const o = argsSchema.parse(args);
      const dataDir = resolve(o["data-dir"] ?? defaultDataDir());
      const outDir = resolve(o.out ?? join(dataDir, "json"));
      const blocked = process.getuid?.() === 0 ? blockedAncestor(dataDir) : undefined;
      if (blocked !== undefined) {
        throw Object.assign(new Error(`Running as root, PostgreSQL runs as the postgres user, which cannot enter ${blocked}`), {
          code: "data_dir_unreachable",
          hint: `Choose a --data-dir under a directory others can traverse (e.g. ${ROOT_DATA_ROOT}/demo), or chmod o+x ${blocked}.`,
        });
      }
      const timings: [string, number][] = [];
      const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        const result = await work();
        timings.push([label, (performance.now() - t0) / 1000]);
        return result;
      };
      const started = performance.now();

      if (o.fresh) {
        await rm(join(dataDir, "pg"), { recursive: true, force: true });
        await rm(outDir, { recursive: true, force: true });
      }
      const again = existsSync(join(dataDir, "pg", "data", "PG_VERSION"));
      logger.info(`${again ? "Reusing" : "Creating"} the demo's PostgreSQL in ${join(dataDir, "pg")}`);
      server = await timed("start PostgreSQL", () => startPostgres({ dataDir: join(dataDir, "pg"), persistent: true }));
      const db = connect(server.url, { max: 6, applicationName: "osm-notes-demo" });
      sql = db;
      await timed("migrate", async () => {
        await applyBaseTables(db);
        await migrate(db);
      });

      const [base] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM public.notes LIMIT 1) x`;
      let loaded: string;
      if (base!.n === 0 && o.planet) {
        const planet = o.planet;
        // Countries assigned offline from each note's position, as `load-planet` does.
        const r = await timed("load planet", () => loadNotesXml(db, openNotesFile(planet), { assignCountries: true }));
        await markBaseLoadComplete(db);
        loaded = `loaded ${r.notesRead.toLocaleString("en")} notes (${r.notesWithCountry.toLocaleString("en")} in a country) and ${r.commentsRead.toLocaleString("en")} actions from ${planet}`;
      } else if (base!.n === 0) {
        // History up to now (not the generator's fixed end date): "today", the last 30 days and
        // data freshness then mean something, and `health` on the demo passes.
        const until = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
        const r = await timed("generate", () => generate(db, { notes: o.notes, seed: o.seed, until }));
        const rows = (table: string) => (r.steps.find((s) => s.table === table)?.rows ?? 0).toLocaleString("en");
        loaded = `generated ${o.notes.toLocaleString("en")} notes (seed ${o.seed}): ${rows("note_comments")} actions, ${rows("users")} users, ${rows("countries")} countries`;
      } else {
        // A later run: what an Ingestion sync would bring in 15 minutes, after the newest action.
        const [at] = await db<{ at: string; runs: number }[]>`
          SELECT to_char(max(created_at) + interval '15 minutes', 'YYYY-MM-DD HH24:MI:SS') AS at,
                 (SELECT count(*)::int FROM dwh.pipeline_runs) AS runs
          FROM public.note_comments`;
        const added = await timed("new activity", () => appendActivity(db, { actions: 2_000, seed: at!.runs + 1, at: at!.at }));
        loaded = `added ${added.toLocaleString("en")} new actions around ${at!.at} UTC`;
      }
      logger.info(loaded);

      const report = await timed("pipeline", () =>
        runPipeline(db, {
          exportDir: outDir,
          logger: packageLogger(logger, "text"),
          onProgress: (p) => {
            if (p.step !== "datamarts" || p.detail.endsWith("upsert")) logger.info(`${p.step}: ${p.detail} (${p.rows.toLocaleString("en")} rows, ${p.seconds.toFixed(2)} s)`);
          },
        }),
      );
      const summary = await warehouseSummary(db);
      process.stdout.write(render({ dataDir, outDir, loaded, again, report, summary, timings, seconds: (performance.now() - started) / 1000 }));
    } catch (err) {
      const e = err as { message?: string; code?: string; hint?: string };
      if (err instanceof z.ZodError) logger.error(`Invalid arguments:\n${z.prettifyError(err)}`);
      else logger.error(`${e.code ? `[${e.code}] ` : ""}${e.message ?? String(err)}`);
      if (e.hint) logger.info(`hint: ${e.hint}`);
      if (process.env.OSMN_DEBUG) logger.error(err);
      process.exitCode = 1;
    } finally {
      await sql?.end({ timeout: 5 }).catch(() => {});
      await server?.stop().catch(() => {});
    }
  },
});

interface RenderInput {
  dataDir: string;
  outDir: string;
  loaded: string;
  again: boolean;
  report: PipelineReport;
  summary: WarehouseSummary;
  timings: [string, number][];
  seconds: number;
}

function render(r: RenderInput): string {
  const n = (x: number) => x.toLocaleString("en");
  const s = r.summary;
  const e = r.report.export!;
  const table = (rows: WarehouseSummary["topUsers"]) =>
    rows.map((u, i) => `    ${i + 1}. ${u.name.padEnd(28)} ${n(u.opened).padStart(7)} opened ${n(u.closed).padStart(7)} closed ${n(u.commented).padStart(7)} commented`);
  const quote = (p: string) => (/^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`);
  return [
    "",
    `OSM Notes Analytics demo — ${r.again ? "incremental run" : "first run"} (${r.seconds.toFixed(1)} s)`,
    `  data:        ${r.loaded}`,
    `  warehouse:   ${n(s.notes)} notes (${n(s.openNotes)} open), ${n(s.actions)} actions from ${s.firstAction} to ${s.lastAction} UTC`,
    `  datamarts:   ${n(s.users)} users, ${n(s.countries)} countries (this run rebuilt ${Object.entries(r.report.datamarts.entities).map(([k, v]) => `${n(v)} ${k}`).join(", ")})`,
    `  ETL:         ${r.report.etl.mode}, ${n(r.report.etl.factsInserted)} facts inserted`,
    `  JSON export: ${e.mode}, ${n(e.written)} files written, ${n(e.users)} user and ${n(e.countries)} country profiles, validated`,
    "",
    "  Top users:",
    ...table(s.topUsers),
    "  Top countries:",
    ...table(s.topCountries),
    "",
    `  Timings: ${r.timings.map(([label, sec]) => `${label} ${sec.toFixed(1)} s`).join(", ")}`,
    `           (pipeline: ETL ${r.report.etl.seconds} s, datamarts ${r.report.datamarts.seconds} s, export ${e.seconds} s)`,
    "",
    `  JSON tree:   ${r.outDir}  (metadata.json, indexes/, users/, countries/, global_stats.json)`,
    `  PostgreSQL:  ${join(r.dataDir, "pg")} (stopped; started again on demand)`,
    "",
    "  Run it again incrementally (adds 15 minutes of simulated activity):",
    `    bun run demo --data-dir ${quote(r.dataDir)}`,
    "  Or run the cron pipeline itself on this warehouse (no new data until something loads it):",
    `    OSMN_DATA_DIR=${quote(r.dataDir)} OSMN_EXPORT_DIR=${quote(r.outDir)} bun run cli run`,
    `    OSMN_DATA_DIR=${quote(r.dataDir)} OSMN_EXPORT_DIR=${quote(r.outDir)} bun run cli health`,
    "",
  ].join("\n");
}
