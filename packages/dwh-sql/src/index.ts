// Public API of @osm-notes/dwh-sql: re-exports only.
export { migrate, type MigrateOptions, type MigrateResult, type MigrateLogger } from "./migrate.ts";
export { dwhStatus, type DwhStatus } from "./dwh-status.ts";
export { DWH_SCHEMA_VERSION, DWH_COMPONENT, isCompatibleVersion } from "./schema-version.ts";
export { DwhError, classifyPgError, type DwhErrorCode } from "./dwh-error.ts";
export { rows, columns, tables } from "./rows.ts";
export type { DatamartUserRow } from "./rows/datamart-users.ts";
export type { DatamartCountryRow } from "./rows/datamart-countries.ts";
export type { DatamartGlobalRow } from "./rows/datamart-global.ts";
export type { DimensionUserRow, DimensionCountryRow } from "./rows/dimensions.ts";
export type { FactRow } from "./rows/facts.ts";
export type { NoteCurrentStatusRow } from "./rows/note-current-status.ts";
export type { ValidationCheckRow } from "./rows/validation-check.ts";
export * as jsonShapes from "./rows/json-shapes.ts";
export { DEFAULT_MIGRATIONS_DIR as DWH_MIGRATIONS_DIR } from "./_migration-files.ts";
