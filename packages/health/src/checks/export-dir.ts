import { lstat, readdir, readFile, stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import type { ReportBuilder } from "../report-builder.ts";
import type { Thresholds } from "../thresholds.ts";
import { bytesText, durationText } from "../human-units.ts";

/** What a caller-supplied export validator answers (the CLI passes the exporter's). */
export interface ExportValidation {
  valid: boolean;
  /** One line: what was checked, or the first problems. */
  message: string;
}
export type ExportValidator = (dir: string) => Promise<ExportValidation>;

/** metadata.json as the exporter writes it (../shared/data/published/metadata.json). */
const metadataSchema = z.object({
  export_date: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date"),
  total_users: z.number().int().nonnegative().optional(),
  total_countries: z.number().int().nonnegative().optional(),
  version: z.string().optional(),
});

interface ExportContext {
  dir: string;
  thresholds: Thresholds;
  report: ReportBuilder;
  validate?: ExportValidator;
  now: Date;
}

/**
 * `export` (metadata.json present, parseable, age of export_date), `export_validity` (the
 * caller's validator, if any) and `export_disk` (size of the tree, used space of its filesystem).
 */
export async function checkExportDir({ dir, thresholds, report, validate, now }: ExportContext): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    report.check({ name: "export", status: "critical", message: `export directory ${dir} does not exist: run \`osm-notes-analytics run\` or fix OSMN_EXPORT_DIR` });
    report.metric("osm_notes_analytics_export_valid", "1 when the export directory has a readable metadata.json (and passes the validator)", 0);
    return;
  }
  let valid = await checkMetadata(dir, thresholds, report, now);
  if (validate) {
    try {
      const result = await validate(dir);
      report.check({ name: "export_validity", status: result.valid ? "ok" : "critical", message: result.message });
      valid &&= result.valid;
    } catch (err) {
      report.check({ name: "export_validity", status: "critical", message: `export validation failed: ${(err as Error).message ?? String(err)}` });
      valid = false;
    }
  }
  report.metric("osm_notes_analytics_export_valid", "1 when the export directory has a readable metadata.json (and passes the validator)", valid ? 1 : 0);
  await checkDisk(dir, thresholds, report);
}

async function checkMetadata(dir: string, thresholds: Thresholds, report: ReportBuilder, now: Date): Promise<boolean> {
  const file = join(dir, "metadata.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    report.check({ name: "export", status: "critical", message: `${file} is missing: the export never completed` });
    return false;
  }
  let parsed: z.infer<typeof metadataSchema>;
  try {
    parsed = metadataSchema.parse(JSON.parse(text));
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") : (err as Error).message;
    report.check({ name: "export", status: "critical", message: `${file} is not valid: ${why}` });
    return false;
  }
  const age = Math.max(0, (now.getTime() - Date.parse(parsed.export_date)) / 1000);
  report.metric("osm_analytics_export_last_export_seconds", "Seconds since the last export (metadata.json export_date)", age, { type: "json" });
  const totals = parsed.total_users === undefined ? "" : `, ${parsed.total_users} users, ${parsed.total_countries ?? "?"} countries`;
  report.level("export", age, thresholds.exportAgeSeconds, `export of ${parsed.export_date} is ${durationText(age)} old${totals}`);
  return true;
}

async function checkDisk(dir: string, thresholds: Thresholds, report: ReportBuilder): Promise<void> {
  const bytes = await treeBytes(dir);
  report.metric("osm_notes_analytics_export_dir_bytes", "Bytes used by the files of the export directory", bytes);
  const fs = await statfs(dir);
  // Like df: used / (used + available to unprivileged users), so reserved blocks count as full.
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const available = fs.bavail * fs.bsize;
  const percent = used + available > 0 ? (100 * used) / (used + available) : 0;
  report.metric("analytics_disk_usage_percent", "Used space of the export filesystem, percent", percent, { component: "analytics" });
  report.metric("osm_notes_analytics_export_filesystem_free_bytes", "Space available on the export filesystem, bytes", available);
  report.level("export_disk", percent, thresholds.diskUsagePercent,
    `export filesystem ${percent.toFixed(1)} % used, ${bytesText(available)} free; the export takes ${bytesText(bytes)}`);
}

/** Sum of file sizes under `dir` (symlinks not followed), iteratively to keep the stack flat. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length) {
    const current = pending.pop()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(current, e.name);
      if (e.isDirectory()) pending.push(path);
      else if (e.isFile()) total += (await lstat(path).catch(() => undefined))?.size ?? 0;
    }
  }
  return total;
}
