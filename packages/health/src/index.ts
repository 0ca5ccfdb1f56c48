// Public API of @osm-notes/health: re-exports only.
export { checkHealth, type HealthOptions } from "./check-health.ts";
export { exitCodeFor, worstStatus, type Check, type HealthReport, type HealthStatus, type Metric } from "./report.ts";
export { thresholdsSchema, resolveThresholds, type Thresholds, type ThresholdsInput, type Level } from "./thresholds.ts";
export { toText } from "./render-text.ts";
export { toJson } from "./render-json.ts";
export { toPrometheus } from "./render-prometheus.ts";
export { connectHealthDatabase, type HealthConnectionOptions } from "./health-connection.ts";
export type { ExportValidation, ExportValidator } from "./checks/export-dir.ts";
export { HealthError, type HealthErrorCode } from "./health-error.ts";
