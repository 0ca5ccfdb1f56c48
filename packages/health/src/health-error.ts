export type HealthErrorCode = "invalid_thresholds";

/** An error of the health package: a code for programs, a hint for people, the cause kept. */
export class HealthError extends Error {
  override readonly name = "HealthError";
  constructor(
    readonly code: HealthErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
