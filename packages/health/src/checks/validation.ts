import { rows } from "@osm-notes/dwh-sql";
import type { CheckContext } from "../check-context.ts";
import { levelStatus } from "../thresholds.ts";
import { worstStatus } from "../report.ts";

/** The functions of dwh-etl §6 (MON-001, MON-002, kept for Monitoring) and ours (DWH-001…005). */
const FUNCTIONS = ["validate_note_current_status", "validate_comment_counts", "validate_dwh_integrity"] as const;

/**
 * `validation_<code>_<n>`, one check per row the validation functions return: PASS → ok, SKIP →
 * ok with the reason, FAIL → warning or critical by issue count (DWH-003, facts with missing
 * dimension ids, uses the orphaned-facts thresholds Monitoring alerts on).
 */
export async function checkValidation({ sql, thresholds, report }: CheckContext): Promise<void> {
  const byCode = new Map<string, { failed: boolean; issues: number; seconds: number }>();
  for (const fn of FUNCTIONS) {
    const started = performance.now();
    const found = (await sql.unsafe(`SELECT * FROM dwh.${fn}()`)).map((r) => rows.validation_check.parse(r));
    const seconds = (performance.now() - started) / 1000;
    const seen = new Map<string, number>();
    for (const row of found) {
      const code = /^[A-Z]+-\d+/.exec(row.check_name)?.[0] ?? fn;
      const n = (seen.get(code) ?? 0) + 1;
      seen.set(code, n);
      const name = `validation_${code.toLowerCase().replace("-", "_")}_${n}`;
      const agg = byCode.get(code) ?? { failed: false, issues: 0, seconds };
      agg.failed ||= row.status === "FAIL";
      agg.issues += row.issue_count;
      byCode.set(code, agg);
      report.metric("osm_notes_analytics_validation_issues", "Issues per validation check row", row.issue_count, { check: row.check_name });
      if (code === "DWH-003") report.metric("analytics_orphaned_facts_count", "Facts whose dimension ids do not exist (DWH-003)", row.issue_count);
      const details = row.details && row.details !== "No issues found" ? ` — ${row.details}` : "";
      if (row.status === "PASS") {
        report.check({ name, status: "ok", value: 0, message: `${row.check_name}: PASS` });
      } else if (row.status === "SKIP") {
        report.check({ name, status: "ok", message: `${row.check_name}: SKIP${details}` });
      } else {
        const lv = code === "DWH-003" ? thresholds.orphanedFacts : thresholds.validationIssues;
        // A FAIL row is never ok, even with an issue count at or under the warning threshold.
        const status = worstStatus(["warning", levelStatus(row.issue_count, lv)]);
        report.check({
          name, status, value: row.issue_count, threshold: status === "critical" ? lv.critical : lv.warning,
          message: `${row.check_name}: FAIL, ${row.issue_count} issues${details}`,
        });
      }
    }
  }
  for (const [code, { failed, issues, seconds }] of byCode) {
    const labels = { component: "analytics", validation: code };
    report.metric("analytics_validation_status", "1 when every row of a validation passed or was skipped, 0 when one failed", failed ? 0 : 1, labels);
    report.metric("analytics_validation_issues_count", "Issues found by a validation", issues, labels);
    report.metric("analytics_validation_duration_seconds", "Time the validation function took, seconds", seconds, labels);
  }
}
