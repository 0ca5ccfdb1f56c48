export type TestkitErrorCode =
  | "pg_binaries_missing"
  | "pg_binaries_broken"
  | "pg_user_missing"
  | "pg_start_failed"
  | "shared_data_missing"
  | "planet_malformed"
  | "input_missing"
  | "invalid_option"
  | "target_not_empty"
  | "csv_malformed";

/** An error of the test kit and loaders: a code for programs, a hint for people. */
export class TestkitError extends Error {
  override readonly name = "TestkitError";
  constructor(
    readonly code: TestkitErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
