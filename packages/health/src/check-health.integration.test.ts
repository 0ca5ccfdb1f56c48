import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Sql, TransactionSql } from "postgres";
import { freshDatabase, type TestDatabase } from "@osm-notes/testkit";
import { createServer, type Server } from "node:net";
import { checkHealth, type HealthOptions } from "./check-health.ts";
import { connectHealthDatabase } from "./health-connection.ts";
import { dwhTemplate, fillHealthyDwh, minutesAgo } from "./healthy-dwh.fixture.ts";
import type { Check, HealthReport } from "./report.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(dwhTemplate);
  await fillHealthyDwh(db.sql);
}, 60_000);
afterAll(() => db.drop(), 30_000);

const byName = (r: HealthReport, name: string): Check | undefined => r.checks.find((c) => c.name === name);
const metric = (r: HealthReport, name: string, labels: Record<string, string> = {}) =>
  r.metrics.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
const failing = (r: HealthReport) => r.checks.filter((c) => c.status !== "ok").map((c) => `${c.name}: ${c.message}`);

/** Applies `change` in a transaction, runs the checks inside it, rolls back. */
async function healthAfter(change: (tx: TransactionSql<{}>) => Promise<unknown>, options: HealthOptions = {}): Promise<HealthReport> {
  let report: HealthReport | undefined;
  const rollback = new Error("rollback");
  await db.sql
    .begin(async (tx) => {
      await change(tx);
      // Every check runs on the transaction's one connection; a TransactionSql serves queries like a pool.
      report = await checkHealth(tx as unknown as Sql<{}>, options);
      throw rollback;
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
    });
  return report!;
}

describe("a healthy warehouse", () => {
  test("every check is ok and the report says so", async () => {
    const report = await checkHealth(db.sql);
    expect(failing(report)).toEqual([]);
    expect(report.status).toBe("ok");
    expect(report.checks.map((c) => c.name)).toEqual([
      "database", "schema", "etl_last_run", "etl_last_success", "etl_running", "quarantine", "dwh_freshness",
      "datamart_datamartusers", "datamart_datamartcountries", "datamart_datamartglobal", "database_size", "facts_size",
      "validation_mon_001_1", "validation_mon_001_2", "validation_mon_001_3",
      "validation_mon_002_1", "validation_mon_002_2", "validation_mon_002_3",
      "validation_dwh_001_1", "validation_dwh_002_1", "validation_dwh_003_1", "validation_dwh_004_1", "validation_dwh_005_1",
      "export",
    ]);
  });

  test("the metrics Monitoring reads carry the measured values", async () => {
    const report = await checkHealth(db.sql);
    expect(metric(report, "analytics_database_connection_status")).toBe(1);
    expect(metric(report, "analytics_datamart_records_total", { datamart: "datamartusers" })).toBe(2);
    expect(metric(report, "analytics_datamart_records_total", { datamart: "datamartglobal" })).toBe(1);
    // The newest action is 20 minutes old; allow for the time the test takes.
    expect(metric(report, "analytics_dwh_freshness_seconds")).toBeGreaterThanOrEqual(1195);
    expect(metric(report, "analytics_dwh_freshness_seconds")).toBeLessThan(1300);
    expect(metric(report, "analytics_etl_execution_gap_seconds")).toBeGreaterThanOrEqual(595);
    expect(metric(report, "analytics_etl_last_execution_duration_seconds")).toBeCloseTo(120, 0);
    expect(metric(report, "analytics_etl_failed_executions")).toBe(0);
    expect(metric(report, "analytics_etl_execution_success_rate_percent")).toBe(100);
    expect(metric(report, "analytics_etl_validation_status", { validation: "MON-001" })).toBe(1);
    expect(metric(report, "analytics_validation_status", { validation: "MON-002" })).toBe(1);
    expect(metric(report, "analytics_validation_issues_count", { validation: "MON-001" })).toBe(0);
    expect(metric(report, "analytics_orphaned_facts_count")).toBe(0);
    expect(metric(report, "osm_notes_analytics_database_size_bytes")).toBeGreaterThan(1_000_000);
    expect(metric(report, "analytics_db_facts_total_size_bytes")).toBeGreaterThan(0);
  });

  test("threshold overrides apply: 20-minute-old data warns above 10 minutes, is critical above 15", async () => {
    const warn = await checkHealth(db.sql, { thresholds: { dwhFreshnessSeconds: { warning: 600, critical: 3600 } } });
    expect(byName(warn, "dwh_freshness")).toMatchObject({ status: "warning", threshold: 600 });
    expect(warn.status).toBe("warning");
    const crit = await checkHealth(db.sql, { thresholds: { dwhFreshnessSeconds: { warning: 300, critical: 900 } } });
    expect(byName(crit, "dwh_freshness")).toMatchObject({ status: "critical", threshold: 900 });
    expect(crit.status).toBe("critical");
  });

  test("validation: false leaves out the validation functions", async () => {
    const report = await checkHealth(db.sql, { validation: false });
    expect(report.checks.some((c) => c.name.startsWith("validation_"))).toBe(false);
    expect(report.status).toBe("ok");
  });

  test("a read replica URL that is not in recovery is reported as such", async () => {
    const report = await checkHealth(db.sql, { readSql: db.sql });
    expect(byName(report, "replica")).toMatchObject({ status: "ok" });
    expect(byName(report, "replica")?.message).toContain("not in recovery");
  });
});

describe("the ETL run log", () => {
  const lastSuccessAt = (tx: TransactionSql<{}>, minutes: number) =>
    tx`UPDATE dwh.etl_runs SET started_at = ${minutesAgo(minutes + 2)}, finished_at = ${minutesAgo(minutes)}`;

  test("a last successful run 45 minutes ago warns, 3 hours ago is critical", async () => {
    const warn = await healthAfter((tx) => lastSuccessAt(tx, 45));
    expect(byName(warn, "etl_last_success")).toMatchObject({ status: "warning", threshold: 1800 });
    expect(warn.status).toBe("warning");
    const crit = await healthAfter((tx) => lastSuccessAt(tx, 180));
    expect(byName(crit, "etl_last_success")).toMatchObject({ status: "critical", threshold: 7200 });
    expect(crit.status).toBe("critical");
  });

  test("a failed last run is critical and says why", async () => {
    const report = await healthAfter((tx) => tx`
      INSERT INTO dwh.etl_runs (mode, status, started_at, finished_at, error)
      VALUES ('incremental', 'failed', ${minutesAgo(3)}, ${minutesAgo(2)}, 'relation "public.notes" does not exist\nCONTEXT: x')`);
    const check = byName(report, "etl_last_run");
    expect(check?.status).toBe("critical");
    expect(check?.message).toContain('failed 2 min ago: relation "public.notes" does not exist');
    expect(check?.message).not.toContain("CONTEXT");
    expect(metric(report, "analytics_etl_failed_executions")).toBe(1);
    expect(metric(report, "analytics_etl_execution_success_rate_percent")).toBe(50);
    expect(report.status).toBe("critical");
  });

  test("no successful run at all is critical", async () => {
    const report = await healthAfter((tx) => tx`DELETE FROM dwh.etl_runs`);
    expect(byName(report, "etl_last_success")?.status).toBe("critical");
    expect(byName(report, "etl_last_run")).toBeUndefined();
  });

  test("a failed pipeline run (export or publish) warns with its step; skipped runs are only counted", async () => {
    const report = await healthAfter(async (tx) => {
      await tx`INSERT INTO dwh.pipeline_runs (status, started_at, finished_at) VALUES ('skipped', ${minutesAgo(20)}, ${minutesAgo(20)})`;
      await tx`INSERT INTO dwh.pipeline_runs (status, started_at, finished_at, failed_step, error)
               VALUES ('failed', ${minutesAgo(10)}, ${minutesAgo(9)}, 'publish', 'push rejected')`;
    });
    expect(byName(report, "pipeline_last_run")).toMatchObject({ status: "warning" });
    expect(byName(report, "pipeline_last_run")!.message).toContain("failed at publish");
    expect(metric(report, "osm_notes_analytics_pipeline_skipped_runs_24h")).toBe(1);
    expect(metric(report, "osm_notes_analytics_pipeline_last_run_succeeded")).toBe(0);
    const ok = await healthAfter((tx) => tx`INSERT INTO dwh.pipeline_runs (status, finished_at) VALUES ('succeeded', ${minutesAgo(1)})`);
    expect(byName(ok, "pipeline_last_run")).toMatchObject({ status: "ok" });
  });

  test("a run stuck in 'running' for 90 minutes warns, naming the run", async () => {
    const report = await healthAfter((tx) => tx`
      INSERT INTO dwh.etl_runs (mode, status, started_at, pid) VALUES ('incremental', 'running', ${minutesAgo(90)}, 999999)`);
    const check = byName(report, "etl_running");
    expect(check?.status).toBe("warning");
    expect(check?.message).toMatch(/ETL run \d+ \(incremental\) running for 90 min; its session \(pid 999999\) is gone/);
    expect(metric(report, "osm_notes_analytics_etl_runs_running")).toBe(1);
  });

  test("rejected quarantine rows are counted per reason", async () => {
    const report = await healthAfter(
      (tx) => tx`INSERT INTO dwh.etl_quarantine (reason, rejected, note_id, sequence_action)
                 VALUES ('orphan_action', true, 77, 1), ('orphan_action', true, 78, 1), ('unknown_country', false, 3, 1)`,
      { thresholds: { quarantinedRows: { warning: 1, critical: 10 } } },
    );
    expect(byName(report, "quarantine")).toMatchObject({ status: "warning", value: 2 });
    expect(metric(report, "osm_notes_analytics_quarantine_rows", { reason: "orphan_action", rejected: "true" })).toBe(2);
    expect(metric(report, "osm_notes_analytics_quarantine_rows", { reason: "unknown_country", rejected: "false" })).toBe(1);
  });
});

describe("data checks", () => {
  test("validation FAIL rows are reported: MON-001 warns, many orphaned facts are critical", async () => {
    const report = await healthAfter(async (tx) => {
      // Note 3 is open with its opening as last action; claim it closed: MON-001 check 3 fails.
      await tx`UPDATE dwh.note_current_status SET is_currently_open = false, last_action_type = 'closed' WHERE id_note = 3`;
      // Twelve facts pointing at a country dimension that does not exist: DWH-003 with 12 issues.
      await tx`UPDATE dwh.facts SET dimension_id_country = 987654`;
      await tx`INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
                 action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week)
               SELECT id_note, sequence_action + 100, dimension_id_country, action_at, 'commented',
                      action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date, opened_dimension_id_hour_of_week
               FROM dwh.facts WHERE sequence_action <= 2`;
    });
    const mon001 = report.checks.filter((c) => c.name.startsWith("validation_mon_001_") && c.status !== "ok");
    expect(mon001.length).toBeGreaterThan(0);
    expect(mon001.every((c) => c.status === "warning" && c.message.includes(": FAIL, "))).toBe(true);
    const dwh003 = byName(report, "validation_dwh_003_1");
    expect(dwh003).toMatchObject({ status: "critical", value: 12, threshold: 10 });
    expect(metric(report, "analytics_orphaned_facts_count")).toBe(12);
    expect(metric(report, "analytics_validation_status", { validation: "MON-001" })).toBe(0);
    expect(metric(report, "analytics_validation_status", { validation: "DWH-003" })).toBe(0);
    expect(report.status).toBe("critical");
  });

  test("an empty datamart is critical; an old one warns", async () => {
    const report = await healthAfter(async (tx) => {
      await tx`DELETE FROM dwh.datamartglobal`;
      await tx`UPDATE dwh.datamartcountries SET updated_at = ${minutesAgo(30 * 60)}`;
    });
    expect(byName(report, "datamart_datamartglobal")?.status).toBe("critical");
    expect(byName(report, "datamart_datamartcountries")).toMatchObject({ status: "warning", threshold: 86400 });
    expect(metric(report, "analytics_datamart_records_total", { datamart: "datamartglobal" })).toBe(0);
  });

  test("empty facts are critical", async () => {
    const report = await healthAfter((tx) => tx`DELETE FROM dwh.facts`);
    expect(byName(report, "dwh_freshness")).toMatchObject({ status: "critical" });
  });
});

describe("without a usable database", () => {
  test("no connection: one critical database check with the reason, no other database check", async () => {
    const report = await checkHealth(undefined, { connectError: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    expect(report.status).toBe("critical");
    expect(report.checks.map((c) => c.name)).toEqual(["database", "export"]);
    expect(byName(report, "database")?.message).toBe(
      "database unreachable: connect ECONNREFUSED 127.0.0.1:1 (check that PostgreSQL is running and DATABASE_URL is right; retrying may help)",
    );
    expect(metric(report, "analytics_database_connection_status")).toBe(0);
  });

  test("a database that was never migrated: schema critical, table checks skipped", async () => {
    const empty = await freshDatabase({ name: "health_empty", prepare: async () => {} });
    try {
      const report = await checkHealth(empty.sql);
      expect(byName(report, "database")?.status).toBe("ok");
      expect(byName(report, "schema")).toMatchObject({ status: "critical" });
      expect(byName(report, "schema")?.message).toContain("migrate");
      expect(report.checks.map((c) => c.name)).toEqual(["database", "schema", "export"]);
    } finally {
      await empty.drop();
    }
  }, 60_000);

  test("a database name that does not exist: critical, saying so", async () => {
    const url = new URL(db.url);
    url.pathname = "/no_such_database";
    const sql = connectHealthDatabase(url.toString());
    try {
      const report = await checkHealth(sql);
      expect(report.checks.map((c) => c.name)).toEqual(["database", "export"]);
      expect(byName(report, "database")?.message).toMatch(/^database unreachable: .*no_such_database.* does not exist \(create it, or fix the database name in the URL\)$/);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  test("a server that accepts but never answers: critical after the connect timeout, not a hang", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const sql = connectHealthDatabase(`postgres://nobody@127.0.0.1:${port}/x`, { connectTimeoutSeconds: 10 });
    const started = performance.now();
    try {
      const report = await checkHealth(sql, { connectTimeoutMs: 700 });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(byName(report, "database")?.message).toBe(
        "database unreachable: connecting to the database timed out after 0.7 s (check that PostgreSQL is running and DATABASE_URL is right; retrying may help)",
      );
    } finally {
      await sql.end({ timeout: 0 }).catch(() => {});
      silent.close();
    }
  });
});
