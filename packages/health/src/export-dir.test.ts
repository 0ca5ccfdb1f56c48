import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHealth } from "./check-health.ts";
import type { HealthReport } from "./report.ts";

// The export checks need no database: without one the report has the critical `database`
// check, and the export checks are read on their own.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "health-export-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const check = (r: HealthReport, name: string) => r.checks.find((c) => c.name === name);
const metric = (r: HealthReport, name: string) => r.metrics.find((m) => m.name === name)?.value;

async function exportDir(name: string, metadata: string | undefined): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, "users"), { recursive: true });
  await writeFile(join(dir, "users", "1.json"), JSON.stringify({ user_id: 1, padding: "x".repeat(5000) }));
  if (metadata !== undefined) await writeFile(join(dir, "metadata.json"), metadata);
  return dir;
}
const metadata = (hoursAgo: number) =>
  JSON.stringify({ export_date: new Date(Date.now() - hoursAgo * 3600_000).toISOString().replace(/\.\d+Z$/, "Z"), total_users: 1638, total_countries: 205, version: "2025-10-23" });

describe("export directory", () => {
  test("missing: critical, naming the directory", async () => {
    const dir = join(root, "nowhere");
    const report = await checkHealth(undefined, { exportDir: dir });
    expect(check(report, "export")).toMatchObject({ status: "critical", message: `export directory ${dir} does not exist: run \`osm-notes-analytics run\` or fix OSMN_EXPORT_DIR` });
    expect(metric(report, "osm_notes_analytics_export_valid")).toBe(0);
    expect(check(report, "export_disk")).toBeUndefined();
  });

  test("present and fresh: ok, with its age, size and filesystem usage", async () => {
    const dir = await exportDir("fresh", metadata(1));
    const report = await checkHealth(undefined, { exportDir: dir });
    expect(check(report, "export")?.status).toBe("ok");
    expect(check(report, "export")?.message).toMatch(/is 60 min old, 1638 users, 205 countries$/);
    expect(metric(report, "osm_analytics_export_last_export_seconds")).toBeCloseTo(3600, -1);
    expect(metric(report, "osm_notes_analytics_export_valid")).toBe(1);
    expect(metric(report, "osm_notes_analytics_export_dir_bytes")).toBeGreaterThan(5000);
    const disk = check(report, "export_disk");
    expect(disk?.value).toBeGreaterThan(0);
    expect(disk?.value).toBeLessThanOrEqual(100);
    expect(metric(report, "analytics_disk_usage_percent")).toBe(disk!.value!);
  });

  test("an export 30 hours old warns, 3 days old is critical", async () => {
    const warn = await checkHealth(undefined, { exportDir: await exportDir("day-old", metadata(30)) });
    expect(check(warn, "export")).toMatchObject({ status: "warning", threshold: 86400 });
    const crit = await checkHealth(undefined, { exportDir: await exportDir("old", metadata(72)) });
    expect(check(crit, "export")).toMatchObject({ status: "critical", threshold: 172800 });
  });

  test("disk usage above an overridden threshold is critical", async () => {
    const report = await checkHealth(undefined, { exportDir: await exportDir("disk", metadata(0)), thresholds: { diskUsagePercent: { warning: 0, critical: 0 } } });
    expect(check(report, "export_disk")?.status).toBe("critical");
  });

  test("metadata.json missing or broken: critical", async () => {
    const none = await checkHealth(undefined, { exportDir: await exportDir("no-metadata", undefined) });
    expect(check(none, "export")?.status).toBe("critical");
    expect(check(none, "export")?.message).toContain("metadata.json is missing");
    const broken = await checkHealth(undefined, { exportDir: await exportDir("broken", '{"export_date": "yesterday"}') });
    expect(check(broken, "export")).toMatchObject({ status: "critical" });
    expect(check(broken, "export")?.message).toContain("export_date: not a date");
    expect(metric(broken, "osm_notes_analytics_export_valid")).toBe(0);
  });

  test("the caller's validator decides export_validity", async () => {
    const dir = await exportDir("validated", metadata(0));
    const bad = await checkHealth(undefined, { exportDir: dir, validateExport: async (d) => ({ valid: false, message: `2 invalid documents in ${d}` }) });
    expect(check(bad, "export_validity")).toEqual({ name: "export_validity", status: "critical", message: `2 invalid documents in ${dir}` });
    expect(metric(bad, "osm_notes_analytics_export_valid")).toBe(0);
    const good = await checkHealth(undefined, { exportDir: dir, validateExport: async () => ({ valid: true, message: "42 documents valid" }) });
    expect(check(good, "export_validity")?.status).toBe("ok");
    expect(metric(good, "osm_notes_analytics_export_valid")).toBe(1);
  });
});
