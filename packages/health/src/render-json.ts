import type { HealthReport } from "./report.ts";

/** For scripts: the report as pretty JSON (stable key order: status, generatedAt, checks, metrics). */
export function toJson(report: HealthReport): string {
  const { status, generatedAt, checks, metrics } = report;
  return `${JSON.stringify({ status, generatedAt, checks, metrics }, null, 2)}\n`;
}
