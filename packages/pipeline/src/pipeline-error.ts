export type PipelineErrorCode =
  /** Another pipeline run (or a hand-started ETL) holds the lock: the CLI exits 75. */
  | "locked"
  /** A step of the pipeline failed; `step` says which, `cause` is the package's own error. */
  | "step_failed"
  | "invalid_option"
  /** backup/restore: the target is not empty, the backup is damaged or from another schema. */
  | "backup_invalid"
  | "target_not_empty"
  | "query_failed";

export type PipelineStep = "lock" | "etl" | "datamarts" | "export" | "publish" | "record";

/** An error of the pipeline package: a code for programs, a hint for people, the cause kept. */
export class PipelineError extends Error {
  override readonly name = "PipelineError";
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    readonly hint: string,
    cause?: unknown,
    readonly step?: PipelineStep,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The hint of a package error (EtlError, DatamartsError, ExporterError all carry one). */
export function hintOf(err: unknown): string | undefined {
  const hint = (err as { hint?: unknown } | null)?.hint;
  return typeof hint === "string" ? hint : undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
