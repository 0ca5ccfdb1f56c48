export type EtlErrorCode =
  | "locked"
  | "base_tables_missing"
  | "base_load_incomplete"
  | "schema_outdated"
  | "invalid_option"
  | "step_failed";

/** An error of the ETL: a code for programs, a hint for people, the cause kept. */
export class EtlError extends Error {
  override readonly name = "EtlError";
  constructor(
    readonly code: EtlErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
