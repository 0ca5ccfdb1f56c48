import { type CheckContext, NOW_UTC } from "../check-context.ts";
import { durationText } from "../human-units.ts";

const DATAMARTS = ["datamartusers", "datamartcountries", "datamartglobal"] as const;

/**
 * `datamart_<name>`: row count and age of the newest updated_at per datamart. An empty datamart
 * is critical, like the original's health_check.sh (COUNT(*) of datamartusers > 0, else error).
 */
export async function checkDatamarts({ sql, thresholds, report }: CheckContext): Promise<void> {
  for (const table of DATAMARTS) {
    const [row] = await sql.unsafe<{ rows: number; age: number | null }[]>(
      `SELECT count(*)::float8 AS rows, extract(epoch FROM ${NOW_UTC} - max(updated_at))::float8 AS age FROM dwh.${table}`,
    );
    const rows = row?.rows ?? 0;
    const labels = { component: "analytics", datamart: table };
    report.metric("analytics_datamart_records_total", "Rows per datamart", rows, labels);
    if (rows === 0 || row?.age == null) {
      report.check({ name: `datamart_${table}`, status: "critical", value: 0, message: `dwh.${table} is empty: run the datamarts (osm-notes-analytics run)` });
      continue;
    }
    const age = Math.max(0, row.age);
    report.metric("analytics_datamart_freshness_seconds", "Seconds since the newest update of a datamart row", age, labels);
    report.level(`datamart_${table}`, age, thresholds.datamartFreshnessSeconds,
      `dwh.${table}: ${rows} row(s), newest update ${durationText(age)} ago`);
  }
}
