export type DwhErrorCode =
  | "migrations_invalid"
  | "migration_changed"
  | "migration_missing"
  | "migration_failed"
  | "connection"
  | "unique_violation"
  | "lock_not_available"
  | "serialization_failure"
  | "undefined_table"
  | "insufficient_privilege"
  | "query_canceled"
  | "query_failed";

const RETRYABLE: ReadonlySet<DwhErrorCode> = new Set(["connection", "lock_not_available", "serialization_failure"]);

/** An error of the warehouse package: a code for programs, a hint for people, the cause kept. */
export class DwhError extends Error {
  override readonly name = "DwhError";
  constructor(
    readonly code: DwhErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }

  /** Worth trying again as is (connection lost, lock or serialization conflict). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

// postgres.js reports its own connection failures with these codes instead of a SQLSTATE.
const CLIENT_CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EPIPE",
]);

/**
 * Maps a PostgreSQL (SQLSTATE) or postgres.js client error to a DwhError with a reason and a
 * hint. Only the server's message is copied; query text and parameters stay on `cause`.
 */
export function classifyPgError(err: unknown, context?: string): DwhError {
  if (err instanceof DwhError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as PgLikeError;
  const sqlstate = typeof e.code === "string" ? e.code : "";
  const text = typeof e.message === "string" ? e.message : String(err);
  const message = context ? `${context}: ${text}` : text;
  const [code, hint] = reason(sqlstate);
  return new DwhError(code, message, hint, err);
}

function reason(sqlstate: string): [DwhErrorCode, string] {
  if (CLIENT_CONNECTION_CODES.has(sqlstate) || sqlstate.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(sqlstate))
    return ["connection", "check that PostgreSQL is running and DATABASE_URL is right; retrying may help"];
  switch (sqlstate) {
    case "23505":
      return ["unique_violation", "the row exists already; re-running the step should reach the same state"];
    case "55P03":
      return ["lock_not_available", "another process holds the lock; wait for it or retry later"];
    case "40001":
    case "40P01":
      return ["serialization_failure", "a concurrent transaction conflicted; retry"];
    case "42P01":
    case "42883":
    case "3F000":
    case "42704":
      return ["undefined_table", "the warehouse schema is missing or old: run migrations first (osm-notes-analytics migrate)"];
    case "42501":
      return ["insufficient_privilege", "connect as a role with the needed grants (see dwh.grant_roles)"];
    case "57014":
      return ["query_canceled", "the statement was canceled or hit statement_timeout"];
    default:
      return ["query_failed", "see the PostgreSQL message; OSMN_DEBUG=1 shows the full error"];
  }
}
