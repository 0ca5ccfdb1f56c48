import { classifyPgError } from "@osm-notes/dwh-sql";
import { ExporterError } from "../exporter-error.ts";

/**
 * A failure while exporting as an ExporterError. Database errors: "not_migrated" for a missing
 * table or column, else "database_failed" with @osm-notes/dwh-sql's hint (connection, lock, …);
 * only the server's message is copied, query text and parameters stay on `cause`. Anything else
 * (the file system: ENOSPC, EACCES, …) is "write_failed".
 */
export function toExporterError(err: unknown, context: string): ExporterError {
  if (err instanceof ExporterError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as { name?: unknown; code?: unknown; syscall?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  // File-system errors carry a syscall (open, link, rename, …); the network ones are the database's.
  const network = e.syscall === "connect" || e.syscall === "getaddrinfo" || /^(ECONN|ETIMEDOUT|EPIPE|CONNECTION_)/.test(code);
  const sqlstate = e.syscall === undefined && /^[0-9A-Z]{5}$/.test(code);
  const fromDatabase = e.name === "PostgresError" || network || sqlstate || code === "UNDEFINED_VALUE";
  if (!fromDatabase) {
    const message = err instanceof Error ? err.message : String(err);
    return new ExporterError("write_failed", `${context}: ${message}`, "check the output directory (space, permissions)", err);
  }
  const classified = classifyPgError(err, context);
  if (classified.code === "undefined_table" || code === "42703") {
    return new ExporterError("not_migrated", classified.message, "run `migrate` (the exporter needs migration 0025 or later)", err);
  }
  return new ExporterError("database_failed", classified.message, classified.hint, err);
}
