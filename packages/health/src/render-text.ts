import type { HealthReport, HealthStatus } from "./report.ts";

const SYMBOL: Record<HealthStatus, string> = { ok: "✓", warning: "!", critical: "✗" };

/** For people: a header line with the overall status, then one line per check. */
export function toText(report: HealthReport): string {
  const counts = { ok: 0, warning: 0, critical: 0 };
  for (const c of report.checks) counts[c.status]++;
  const lines = [`health: ${report.status.toUpperCase()} (${counts.ok} ok, ${counts.warning} warning, ${counts.critical} critical) at ${report.generatedAt}`];
  const width = Math.max(...report.checks.map((c) => c.name.length), 0);
  for (const c of report.checks) lines.push(`${SYMBOL[c.status]} ${c.status.padEnd(8)} ${c.name.padEnd(width)}  ${c.message}`);
  return `${lines.join("\n")}\n`;
}
