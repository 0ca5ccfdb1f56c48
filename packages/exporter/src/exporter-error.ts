export type ExporterErrorCode =
  | "invalid_id"
  | "invalid_path"
  | "invalid_documents"
  | "inconsistent_tree"
  | "write_failed"
  | "invalid_csv_row"
  | "invalid_target"
  | "file_too_large"
  | "git_failed"
  | "push_conflict"
  | "github_failed"
  | "rate_limited"
  | "not_migrated"
  | "datamarts_not_built"
  | "stale_datamarts"
  | "database_failed";

const RETRYABLE: ReadonlySet<ExporterErrorCode> = new Set(["push_conflict", "rate_limited"]);

/** An error of the exporter: a code for programs, a hint for people, the cause kept. */
export class ExporterError extends Error {
  override readonly name = "ExporterError";
  constructor(
    readonly code: ExporterErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
    /** Structured detail for programs (e.g. every invalid document with its issues). */
    readonly details?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }

  /** Worth running again as is (a remote moved too often, a rate limit outlasted the retries). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
