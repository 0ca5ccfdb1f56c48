import { statusValue, type HealthReport, type Metric } from "./report.ts";

/**
 * Prometheus text exposition format 0.0.4: one HELP and TYPE line per metric family, then its
 * samples. All are gauges. Adds the overall and per-check status gauges. Metric names of
 * OSM-Notes-Monitoring (`analytics_*`, `osm_analytics_*`) are kept as its rules expect them.
 */
export function toPrometheus(report: HealthReport): string {
  const metrics: Metric[] = [
    { name: "osm_notes_analytics_health_status", help: "Overall health: 0 ok, 1 warning, 2 critical", value: statusValue(report.status) },
    ...report.checks.map((c) => ({
      name: "osm_notes_analytics_check_status",
      help: "Status of one health check: 0 ok, 1 warning, 2 critical",
      value: statusValue(c.status),
      labels: { check: c.name },
    })),
    ...report.metrics,
  ];
  const families = new Map<string, Metric[]>();
  for (const m of metrics) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m.name)) throw new Error(`invalid Prometheus metric name ${m.name}`);
    const list = families.get(m.name) ?? [];
    list.push(m);
    families.set(m.name, list);
  }
  const out: string[] = [];
  for (const [name, samples] of families) {
    out.push(`# HELP ${name} ${escapeHelp(samples[0]!.help)}`);
    out.push(`# TYPE ${name} gauge`);
    for (const s of samples) out.push(`${name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
  return `${out.join("\n")}\n`;
}

function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (!entries.length) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

// The format escapes backslash and newline in HELP; backslash, double quote and newline in label values.
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
function escapeLabel(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
}
