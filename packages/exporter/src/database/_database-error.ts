import { classifyPgError } from "@osm-notes/dwh-sql";
import { ExporterError } from "../exporter-error.ts";

/**
 * A database failure as an ExporterError: "not_migrated" for a missing table or column, else
 * "database_failed" with @osm-notes/dwh-sql's hint (connection, lock, …). Only the server's
 * message is copied; query text and parameters stay on `cause`.
 */
export function toExporterError(err: unknown, context: string): ExporterError {
  if (err instanceof ExporterError) return err;
  const classified = classifyPgError(err, context);
  if (classified.code === "undefined_table" || (err as { code?: unknown })?.code === "42703") {
    return new ExporterError("not_migrated", classified.message, "run `migrate` (the exporter needs migration 0025 or later)", err);
  }
  return new ExporterError("database_failed", classified.message, classified.hint, err);
}
