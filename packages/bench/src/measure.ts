/** One measured step of a benchmark run. */
export interface BenchResult {
  scale: number;
  step: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Peak resident memory of this process so far (the database server is a separate process). */
  peakRssMb: number;
  databaseMb: number;
}

/** Peak RSS of this process in MB (getrusage maxrss, kilobytes on Linux). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function formatTable(results: readonly BenchResult[]): string {
  const header = ["scale", "step", "rows", "seconds", "rows/s", "peak RSS MB", "db MB"];
  const rows = results.map((r) => [
    r.scale.toLocaleString("en"),
    r.step,
    r.rows.toLocaleString("en"),
    r.seconds.toFixed(2),
    r.rowsPerSecond ? Math.round(r.rowsPerSecond).toLocaleString("en") : "",
    String(r.peakRssMb),
    String(r.databaseMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}
