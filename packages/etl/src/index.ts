export { runEtl, type RunEtlOptions, type EtlReport, type EtlProgress, type EtlLogger, type ValidationRow } from "./run-etl.ts";
export { acquireRunLock, ETL_LOCK_KEY, type RunLock, type LockOptions } from "./run-lock.ts";
export { EtlError, type EtlErrorCode } from "./etl-error.ts";
export type { RunMode, StepRecord } from "./run-log.ts";
