import { dwhStatus } from "@osm-notes/dwh-sql";
import type { Sql } from "postgres";
import { connectionErrorLine, withTimeout } from "../connection-error.ts";
import type { ReportBuilder } from "../report-builder.ts";

/**
 * `database`: can we run a query at all? A failure is one critical check with one line, and the
 * caller skips every other database check (they would all repeat the same failure).
 */
export async function checkReachable(
  sql: Sql<any> | undefined,
  report: ReportBuilder,
  options: { timeoutMs: number; connectError?: unknown },
): Promise<boolean> {
  const help = "1 when the analytics database answers a query, else 0";
  if (!sql) {
    const why = options.connectError === undefined ? "no database connection was given" : connectionErrorLine(options.connectError);
    report.check({ name: "database", status: "critical", message: `database unreachable: ${why}` });
    report.metric("analytics_database_connection_status", help, 0);
    return false;
  }
  const started = performance.now();
  try {
    const [row] = await withTimeout(
      sql<{ version: string; db: string }[]>`SELECT current_setting('server_version') AS version, current_database() AS db`,
      options.timeoutMs,
      "connecting to the database",
    );
    const ms = performance.now() - started;
    report.check({ name: "database", status: "ok", value: Math.round(ms), message: `PostgreSQL ${row?.version} answers (database ${row?.db}, ${Math.round(ms)} ms)` });
    report.metric("analytics_database_connection_status", help, 1);
    return true;
  } catch (err) {
    report.check({ name: "database", status: "critical", message: `database unreachable: ${connectionErrorLine(err)}` });
    report.metric("analytics_database_connection_status", help, 0);
    return false;
  }
}

/**
 * `schema`: public.schema_version says the dwh schema this package expects, with nothing pending.
 * Returns false when there is no dwh schema at all, so the caller skips the table checks.
 */
export async function checkSchema(sql: Sql<any>, report: ReportBuilder): Promise<boolean> {
  const status = await dwhStatus(sql);
  report.metric("osm_notes_analytics_schema_compatible", "1 when the dwh schema version is compatible with this release", status.compatible ? 1 : 0);
  if (status.schemaVersion === null) {
    report.check({
      name: "schema",
      status: "critical",
      message: `no dwh schema in this database (expected version ${status.expectedVersion}): run \`osm-notes-analytics migrate\``,
    });
    return false;
  }
  if (!status.compatible) {
    const pending = status.pending.length ? `; ${status.pending.length} migration(s) pending (${status.pending.slice(0, 3).join(", ")}${status.pending.length > 3 ? ", …" : ""})` : "";
    report.check({
      name: "schema",
      status: "critical",
      message: `dwh schema ${status.schemaVersion} is not compatible with the expected ${status.expectedVersion}${pending}: run \`osm-notes-analytics migrate\``,
    });
    return true;
  }
  report.check({ name: "schema", status: "ok", message: `dwh schema ${status.schemaVersion} (expected ${status.expectedVersion})` });
  return true;
}
