-- Run record of the cron pipeline (`run`: lock → ETL → datamarts → JSON export → publish), one
-- row per run that got the pipeline lock. dwh.etl_runs stays the ETL's own log (its mode check
-- and watermark semantics are the ETL's); a pipeline run points at the ETL run it started.
-- Health and operators read the latest rows; `maintenance` prunes old ones.
CREATE TABLE dwh.pipeline_runs (
  run_id       bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status       varchar(16)  NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  -- `run --full`: datamarts of every entity and a full export.
  full_refresh boolean      NOT NULL DEFAULT false,
  started_at   timestamp    NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'),
  finished_at  timestamp,
  pid          integer      NOT NULL DEFAULT pg_backend_pid(),
  host         varchar(256),
  etl_run_id   bigint       REFERENCES dwh.etl_runs ON DELETE SET NULL,
  -- The step that failed ('etl', 'datamarts', 'export', 'publish'), NULL otherwise.
  failed_step  varchar(16),
  -- Per step: {"etl": {"seconds": s, ...}, "datamarts": {...}, ...}.
  steps        jsonb        NOT NULL DEFAULT '{}',
  error        text
);
CREATE INDEX pipeline_runs_started ON dwh.pipeline_runs (started_at DESC);
