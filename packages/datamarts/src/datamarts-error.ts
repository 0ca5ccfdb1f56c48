import { classifyPgError } from "@osm-notes/dwh-sql";

export type DatamartsErrorCode =
  | "locked"
  | "not_migrated"
  | "connection"
  | "invalid_argument"
  | "cancelled"
  | "query_failed";

/** An error of the datamarts package: a code for programs, a hint for people, the cause kept. */
export class DatamartsError extends Error {
  override readonly name = "DatamartsError";
  constructor(
    readonly code: DatamartsErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Maps any failure of a build or a profile read to a DatamartsError (SQL text stays on `cause`). */
export function toDatamartsError(err: unknown, context: string): DatamartsError {
  if (err instanceof DatamartsError) return err;
  const dwh = classifyPgError(err, context);
  switch (dwh.code) {
    case "undefined_table":
      return new DatamartsError("not_migrated", dwh.message, "run `migrate` first: the datamart tables or their state table are missing", err);
    case "lock_not_available":
      return new DatamartsError("locked", dwh.message, dwh.hint, err);
    case "connection":
      return new DatamartsError("connection", dwh.message, dwh.hint, err);
    default:
      return new DatamartsError(
        "query_failed",
        dwh.message,
        "the build was rolled back: the previous datamart rows are intact; fix the cause and run it again",
        err,
      );
  }
}
