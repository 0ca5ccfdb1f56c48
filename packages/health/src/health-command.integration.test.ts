import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { migrate } from "@osm-notes/dwh-sql";
import { connect, freshDatabase, startPostgres, type TestDatabase } from "@osm-notes/testkit";
import { dwhTemplate, fillHealthyDwh } from "./healthy-dwh.fixture.ts";
import { parsePrometheusText } from "./prometheus-text.fixture.ts";

// The real CLI as a child process, as cron, systemd or Monitoring run it.
const MAIN = fileURLToPath(new URL("../../../apps/cli/src/main.ts", import.meta.url));

function health(databaseUrl: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, "health", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, OSMN_EXPORT_DIR: "", READ_DATABASE_URL: "", OSMN_LOG_FORMAT: "text" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Every metric name consumers.md §(c) lists by name, which the dashboards and alerts read.
const CONSUMER_METRICS = [
  "analytics_etl_last_execution_duration_seconds",
  "analytics_dwh_freshness_seconds",
  "analytics_datamart_freshness_seconds",
  "analytics_datamart_records_total",
  "analytics_validation_issues_count",
  "analytics_orphaned_facts_count",
  "analytics_db_facts_total_size_bytes",
  "analytics_etl_validation_issues_total",
];

describe("health on a warehouse after a successful run", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(dwhTemplate);
    await fillHealthyDwh(db.sql);
  }, 60_000);
  afterAll(() => db.drop(), 30_000);

  test("--format prometheus: exit 0, strict Prometheus text with Monitoring's metric names", () => {
    const { code, stdout, stderr } = health(db.url, "--format", "prometheus");
    expect({ code, stderr: stderr.includes("ERROR") ? stderr : "" }).toEqual({ code: 0, stderr: "" });
    const families = parsePrometheusText(stdout);
    for (const name of CONSUMER_METRICS) expect(families.has(name)).toBe(true);
    expect(families.get("osm_notes_analytics_health_status")?.samples).toEqual([{ labels: {}, value: 0 }]);
    expect(families.get("analytics_database_connection_status")?.samples[0]?.value).toBe(1);
    expect(families.get("analytics_datamart_records_total")?.samples).toContainEqual({ labels: { component: "analytics", datamart: "datamartusers" }, value: 2 });
    expect(families.get("analytics_validation_status")?.samples).toContainEqual({ labels: { component: "analytics", validation: "MON-001" }, value: 1 });
    const checks = families.get("osm_notes_analytics_check_status")!.samples;
    expect(checks.length).toBeGreaterThan(15);
    expect(checks.every((s) => s.value === 0)).toBe(true);
  });

  test("--format json: exit 0 and the report as JSON on stdout", () => {
    const { code, stdout } = health(db.url, "--format", "json", "--no-validation");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.status).toBe("ok");
    expect(report.checks.some((c: { name: string }) => c.name.startsWith("validation_"))).toBe(false);
  });

  test("text, with a threshold override that makes the data stale: exit 1 and the warning line", () => {
    const { code, stdout } = health(db.url, "--thresholds", '{"dwhFreshnessSeconds":{"warning":60}}');
    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toMatch(/^health: WARNING \(\d+ ok, 1 warning, 0 critical\)/);
    expect(stdout).toMatch(/^! warning +dwh_freshness +newest action in dwh\.facts is \d+ min old .* \(above the warning threshold 60\)$/m);
  });

  test("invalid arguments: exit 3 (unknown) with the reason on stderr, nothing on stdout", () => {
    const { code, stdout, stderr } = health(db.url, "--thresholds", '{"nope":1}');
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toContain('Unrecognized key: "nope"');
  });
});

describe("health with the database stopped", () => {
  let url: string;
  beforeAll(async () => {
    const server = await startPostgres();
    url = server.url;
    const sql = connect(url);
    await migrate(sql);
    await sql.end({ timeout: 5 });
    await server.stop();
  }, 60_000);

  test("exit 2 with one clear critical line, no stack trace", () => {
    const { code, stdout, stderr } = health(url);
    expect(code).toBe(2);
    const critical = stdout.split("\n").filter((l) => l.startsWith("✗"));
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatch(/^✗ critical database +database unreachable: .*ECONNREFUSED.* \(check that PostgreSQL is running and DATABASE_URL is right; retrying may help\)$/);
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("Error");
  });

  test("--format prometheus still answers, with the connection status 0", () => {
    const { code, stdout } = health(url, "--format", "prometheus");
    expect(code).toBe(2);
    const families = parsePrometheusText(stdout);
    expect(families.get("analytics_database_connection_status")?.samples).toEqual([{ labels: {}, value: 0 }]);
    expect(families.get("osm_notes_analytics_health_status")?.samples).toEqual([{ labels: {}, value: 2 }]);
  });
});
