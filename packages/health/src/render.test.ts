import { describe, expect, test } from "bun:test";
import { parsePrometheusText } from "./prometheus-text.fixture.ts";
import { toJson } from "./render-json.ts";
import { toPrometheus } from "./render-prometheus.ts";
import { toText } from "./render-text.ts";
import { exitCodeFor, type HealthReport } from "./report.ts";

const report: HealthReport = {
  status: "warning",
  generatedAt: "2026-01-02T03:04:05.000Z",
  checks: [
    { name: "database", status: "ok", value: 3, message: "PostgreSQL 18.4 answers" },
    { name: "etl_last_success", status: "warning", value: 4000, threshold: 1800, message: "last successful ETL run 7 finished 67 min ago" },
    { name: "validation_mon_001_1", status: "ok", value: 0, message: "MON-001: Notes closed but have reopen after last close: PASS" },
  ],
  metrics: [
    { name: "analytics_dwh_freshness_seconds", help: "Seconds since the newest action", value: 812.5 },
    { name: "analytics_datamart_records_total", help: "Rows per datamart", value: 12, labels: { component: "analytics", datamart: "datamartusers" } },
    { name: "analytics_datamart_records_total", help: "Rows per datamart", value: 3, labels: { component: "analytics", datamart: "datamartcountries" } },
    // Label values with every character the format must escape.
    { name: "osm_notes_analytics_validation_issues", help: "Issues per check \\ row\nsecond line", value: 2, labels: { check: 'MON-002: "quoted" back\\slash\nnewline' } },
  ],
};

describe("toPrometheus", () => {
  const text = toPrometheus(report);
  const families = parsePrometheusText(text);

  test("parses strictly, with one HELP and TYPE gauge per family", () => {
    expect([...families.keys()]).toEqual([
      "osm_notes_analytics_health_status",
      "osm_notes_analytics_check_status",
      "analytics_dwh_freshness_seconds",
      "analytics_datamart_records_total",
      "osm_notes_analytics_validation_issues",
    ]);
    for (const f of families.values()) expect(f.type).toBe("gauge");
    expect(text.match(/^# TYPE analytics_datamart_records_total /gm)?.length).toBe(1);
  });

  test("carries values, labels and the status gauges", () => {
    expect(families.get("osm_notes_analytics_health_status")?.samples).toEqual([{ labels: {}, value: 1 }]);
    expect(families.get("osm_notes_analytics_check_status")?.samples).toEqual([
      { labels: { check: "database" }, value: 0 },
      { labels: { check: "etl_last_success" }, value: 1 },
      { labels: { check: "validation_mon_001_1" }, value: 0 },
    ]);
    expect(families.get("analytics_dwh_freshness_seconds")?.samples[0]?.value).toBe(812.5);
    expect(families.get("analytics_datamart_records_total")?.samples.map((s) => [s.labels.datamart, s.value])).toEqual([
      ["datamartusers", 12],
      ["datamartcountries", 3],
    ]);
  });

  test("escapes label values and HELP text so they read back unchanged", () => {
    const f = families.get("osm_notes_analytics_validation_issues");
    expect(f?.samples[0]?.labels.check).toBe('MON-002: "quoted" back\\slash\nnewline');
    expect(f?.help).toBe("Issues per check \\ row\nsecond line");
    expect(text).toContain('check="MON-002: \\"quoted\\" back\\\\slash\\nnewline"');
  });

  test("rejects an invalid metric name instead of writing it", () => {
    expect(() => toPrometheus({ ...report, metrics: [{ name: "bad-name", help: "x", value: 1 }] })).toThrow("invalid Prometheus metric name");
  });
});

describe("the strict exposition reader used above", () => {
  test("rejects what Prometheus would reject", () => {
    expect(() => parsePrometheusText("a 1")).toThrow("newline");
    expect(() => parsePrometheusText('a{x="1} 1\n')).toThrow();
    expect(() => parsePrometheusText('a{x="\\t"} 1\n')).toThrow("bad escape");
    expect(() => parsePrometheusText(`a{x="1"} 1\nb 2\na{x="2"} 3\n`)).toThrow("not contiguous");
    expect(() => parsePrometheusText("a 1\na 2\n")).toThrow("duplicate series");
    expect(() => parsePrometheusText("a one\n")).toThrow("bad value");
    expect(() => parsePrometheusText("a 1\n# TYPE a gauge\n")).toThrow("TYPE after samples");
  });
});

describe("toText", () => {
  test("a header with the counts, then one line per check with its symbol", () => {
    const lines = toText(report).trimEnd().split("\n");
    expect(lines[0]).toBe("health: WARNING (2 ok, 1 warning, 0 critical) at 2026-01-02T03:04:05.000Z");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^✓ ok +database +PostgreSQL 18\.4 answers$/);
    expect(lines[2]).toMatch(/^! warning +etl_last_success +last successful ETL run 7 finished 67 min ago$/);
  });
});

describe("toJson", () => {
  test("round-trips the report", () => {
    const parsed = JSON.parse(toJson(report));
    expect(parsed).toEqual(report);
    expect(Object.keys(parsed)).toEqual(["status", "generatedAt", "checks", "metrics"]);
  });
});

describe("exitCodeFor", () => {
  test("0 ok, 1 warning, 2 critical", () => {
    expect(exitCodeFor({ status: "ok" })).toBe(0);
    expect(exitCodeFor({ status: "warning" })).toBe(1);
    expect(exitCodeFor({ status: "critical" })).toBe(2);
  });
});
