import { levelStatus, type Level } from "./thresholds.ts";
import { worstStatus, type Check, type HealthReport, type HealthStatus, type Metric } from "./report.ts";

/** Collects the checks and metrics the check modules produce, then freezes them into a report. */
export class ReportBuilder {
  private readonly checks: Check[] = [];
  private readonly metrics: Metric[] = [];

  check(check: Check): void {
    this.checks.push(check);
  }

  /** A check decided by a value against a level; the message gets the reason appended. */
  level(name: string, value: number, lv: Level, message: string): HealthStatus {
    const status = levelStatus(value, lv);
    const threshold = status === "critical" ? lv.critical : lv.warning;
    const reason = status === "ok" ? "" : ` (above the ${status} threshold ${format(threshold)})`;
    this.checks.push({ name, status, value, threshold, message: message + reason });
    return status;
  }

  metric(name: string, help: string, value: number, labels?: Record<string, string>): void {
    this.metrics.push(labels ? { name, help, value, labels } : { name, help, value });
  }

  build(now: Date): HealthReport {
    return {
      status: worstStatus(this.checks.map((c) => c.status)),
      checks: [...this.checks],
      metrics: [...this.metrics],
      generatedAt: now.toISOString(),
    };
  }
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
