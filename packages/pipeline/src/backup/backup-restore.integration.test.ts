import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { checkHealth } from "@osm-notes/health";
import { freshDatabase, generate, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { PipelineError } from "../pipeline-error.ts";
import { runPipeline } from "../run-pipeline.ts";
import { datamartRows, emptyTemplate, freshDwh, runCli } from "../pipeline-test.fixture.ts";
import { readBackupManifest } from "./manifest.ts";
import { restore } from "./restore.ts";

let source: TestDatabase;
let target: TestDatabase;
let damaged: TestDatabase;
let work: string;
beforeAll(async () => {
  [source, target, damaged] = await Promise.all([freshDwh(), freshDatabase(emptyTemplate), freshDatabase(emptyTemplate)]);
  work = mkdtempSync(join(tmpdir(), "osmn-backup-"));
  await generate(source.sql, { notes: 1_200, seed: 21 });
  await runPipeline(source.sql, { exportDir: join(work, "json") });
}, 120_000);
afterAll(async () => {
  await Promise.all([source.drop(), target.drop(), damaged.drop()]);
  rmSync(work, { recursive: true, force: true });
});

/** md5 of every row of every dwh table (partition parents), keyed by table. */
async function tableDigests(sql: Sql): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }[]>`
    SELECT relname AS name FROM pg_class WHERE relnamespace = 'dwh'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY 1`;
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (name === "schema_migrations") continue; // applied_at differs by design
    const [row] = await sql.unsafe<{ d: string }[]>(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS d FROM dwh."${name}" t`);
    out[name] = row!.d;
  }
  return out;
}

describe("backup, then restore into an empty database", () => {
  test("reproduces every datamart row and every dwh table, the export tree, and passes health", async () => {
    const out = join(work, "backup-1");
    const backedUp = runCli(["backup", "--out", out], { DATABASE_URL: source.url, OSMN_EXPORT_DIR: join(work, "json") });
    expect(backedUp.status).toBe(0);
    const report = JSON.parse(backedUp.stdout) as { tables: number; rows: number; exportFiles: number };
    expect(report.tables).toBeGreaterThan(20);
    expect(report.exportFiles).toBeGreaterThan(10);
    const manifest = await readBackupManifest(out);
    expect(manifest.migrations.length).toBeGreaterThanOrEqual(26);
    expect(manifest.partitions.length).toBeGreaterThan(1);

    const restoredExport = join(work, "restored-json");
    const restored = runCli(["restore", "--from", out, "--export-dir", restoredExport], { DATABASE_URL: target.url });
    expect(restored.stderr).toContain("restore completed successfully");
    expect(restored.status).toBe(0);

    expect(await datamartRows(target.sql)).toEqual(await datamartRows(source.sql));
    expect(await tableDigests(target.sql)).toEqual(await tableDigests(source.sql));
    // Triggers (the export queue's six, 0031; the badge ids' four checks, 0046) were off while
    // the rows went in, and are on again.
    const triggers = async (sql: Sql) =>
      await sql`SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger
                WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'dwh.%' ORDER BY 1`;
    expect(await triggers(target.sql)).toEqual(await triggers(source.sql));
    expect((await triggers(target.sql)).map((t) => t.enabled)).toEqual(Array(10).fill("O"));
    // Sequences continue where they were: the next ETL run id is the source's next one.
    const next = async (sql: Sql) => (await sql`SELECT last_value::text AS v FROM dwh.etl_runs_run_id_seq`)[0]!.v;
    expect(await next(target.sql)).toBe(await next(source.sql));

    expect(readlinkSync(restoredExport)).toMatch(/^restored-json\.v-/);
    expect(readFileSync(join(restoredExport, "metadata.json"), "utf8")).toBe(readFileSync(join(work, "json", "metadata.json"), "utf8"));

    // The generated history ends on 2025-11-20: data freshness is judged against that, not now.
    // The disk check reads the test machine's file system, which is not what this test is about.
    const health = await checkHealth(target.sql, {
      exportDir: restoredExport,
      thresholds: {
        dwhFreshnessSeconds: { warning: 1e10, critical: 1e10 },
        diskUsagePercent: { warning: 101, critical: 101 },
      },
    });
    expect(health.checks.filter((c) => c.status !== "ok")).toEqual([]);
    expect(health.status).toBe("ok");
  });

  test("a damaged table file is refused and nothing is restored", async () => {
    const out = join(work, "backup-2");
    expect(runCli(["backup", "--out", out, "--no-export"], { DATABASE_URL: source.url }).status).toBe(0);
    const manifest = await readBackupManifest(out);
    const victim = manifest.tables.find((t) => t.table === "datamartusers")!;
    const text = gunzipSync(readFileSync(join(out, victim.file))).toString("utf8");
    writeFileSync(join(out, victim.file), gzipSync(text.replace(/\t1\t/, "\t2\t")));

    const err = await restore(damaged.sql, { from: out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe("backup_invalid");
    const [row] = await damaged.sql`SELECT (SELECT count(*)::int FROM dwh.datamartusers) AS users, (SELECT count(*)::int FROM dwh.facts) AS facts`;
    expect(row).toEqual({ users: 0, facts: 0 });
  });

  test("restore refuses a database that already holds warehouse data", async () => {
    const err = await restore(source.sql, { from: join(work, "backup-1") }).catch((e: unknown) => e);
    expect((err as PipelineError).code).toBe("target_not_empty");
  });
});
