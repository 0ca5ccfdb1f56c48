-- Run log of the ETL (one row per run) and the entities each run touched, which the datamart
-- step reads. Replaces the original's lock files and log-file parsing (dwh-etl §7.5).
CREATE TABLE dwh.etl_runs (
  run_id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mode                 varchar(16) NOT NULL CHECK (mode IN ('first', 'incremental', 'full')),
  status               varchar(16) NOT NULL DEFAULT 'running'
                         CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at           timestamp   NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'),
  finished_at          timestamp,
  pid                  integer     NOT NULL DEFAULT pg_backend_pid(),
  host                 varchar(256),
  -- max(notes.note_id) read at the start: only notes/actions at or below it are loaded (§7.2).
  snapshot_max_note_id integer,
  -- Latest action_at loaded; the next run's delta starts at it minus a safety margin (§7.3).
  watermark            timestamp,
  facts_inserted       bigint      NOT NULL DEFAULT 0,
  notes_touched        bigint      NOT NULL DEFAULT 0,
  rows_quarantined     bigint      NOT NULL DEFAULT 0,
  -- Warnings that load anyway (§7.6): notes without an opened action, unknown countries,
  -- users missing from public.users, unknown country ids without reference data…
  warnings             jsonb       NOT NULL DEFAULT '{}',
  -- Per step: {"step": {"rows": n, "seconds": s}}.
  steps                jsonb       NOT NULL DEFAULT '{}',
  -- Validation results of the run: [{check_name, status, issue_count}].
  validation           jsonb,
  error                text
);
-- Health and the next run: the latest (successful) run.
CREATE INDEX etl_runs_status_started ON dwh.etl_runs (status, started_at DESC);

CREATE TABLE dwh.etl_run_touched (
  run_id    bigint      NOT NULL REFERENCES dwh.etl_runs ON DELETE CASCADE,
  entity    varchar(16) NOT NULL CHECK (entity IN ('user', 'country', 'note')),
  entity_id integer     NOT NULL,
  CONSTRAINT etl_run_touched_pkey PRIMARY KEY (run_id, entity, entity_id)
);
COMMENT ON TABLE dwh.etl_run_touched IS
  'OSM user ids, country ids (and note ids) whose facts a run added or changed: the datamart step rebuilds exactly these.';

-- Rejected or suspicious base rows (§7.6): never silently dropped, never fatal. A rejected row
-- (rejected = true) was not loaded; the next run retries it and sets resolved_at once loaded.
-- Warning rows (rejected = false) were loaded with a fallback (-1 country, user without name).
CREATE TABLE dwh.etl_quarantine (
  quarantine_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reason            varchar(32) NOT NULL CHECK (reason IN (
                      'orphan_action',      -- action whose note is not in notes
                      'bad_event',          -- event outside note_event_enum
                      'null_created_at',
                      'future_created_at',  -- more than a day in the future
                      'no_opened_action',   -- note without an opened action (loads)
                      'unknown_country',    -- NULL or unknown id_country (loads as -1)
                      'missing_user')),     -- id_user not in users (loads, username NULL)
  rejected          boolean     NOT NULL,
  note_id           integer,
  sequence_action   integer,
  user_id           integer,
  -- The base row as read (text values), for people.
  payload           jsonb,
  first_run_id      bigint      REFERENCES dwh.etl_runs,
  last_run_id       bigint      REFERENCES dwh.etl_runs,
  first_seen_at     timestamp   NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  last_seen_at      timestamp   NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  resolved_at       timestamp
);
-- One open entry per (reason, row): re-running a step upserts instead of duplicating.
CREATE UNIQUE INDEX etl_quarantine_open_key ON dwh.etl_quarantine
  (reason, coalesce(note_id, 0), coalesce(sequence_action, 0), coalesce(user_id, 0))
  WHERE resolved_at IS NULL;
-- validate_comment_counts subtracts rejected, unresolved actions per note.
CREATE INDEX etl_quarantine_rejected_note ON dwh.etl_quarantine (note_id)
  WHERE rejected AND resolved_at IS NULL;
