// Public API of @osm-notes/pipeline: re-exports only.
export { runPipeline, type RunPipelineOptions, type PipelineReport, type PipelineProgress, type PipelineLogger } from "./run-pipeline.ts";
export { acquirePipelineLock, PIPELINE_LOCK_KEY, type PipelineLock } from "./pipeline-lock.ts";
export { PipelineError, type PipelineErrorCode, type PipelineStep } from "./pipeline-error.ts";
export { backup, type BackupOptions, type BackupReport } from "./backup/backup.ts";
export { restore, type RestoreOptions, type RestoreReport } from "./backup/restore.ts";
export { readBackupManifest, BACKUP_FORMAT, BACKUP_MANIFEST, type BackupManifest, type BackupTableEntry } from "./backup/manifest.ts";
export { maintenance, type MaintenanceOptions, type MaintenanceReport } from "./maintenance.ts";
export { warehouseSummary, type WarehouseSummary, type RankedEntity } from "./warehouse-summary.ts";
