import type { Sql } from "postgres";
import type { ReportBuilder } from "./report-builder.ts";
import type { Thresholds } from "./thresholds.ts";

/** What every check module gets: the database, the resolved thresholds and the report being built. */
export interface CheckContext {
  sql: Sql<any>;
  thresholds: Thresholds;
  report: ReportBuilder;
}

/** "now" on the server in the dwh's convention (timestamp columns hold UTC wall-clock). */
export const NOW_UTC = "(now() AT TIME ZONE 'UTC')";
