-- Aggregate state of the global datamart (@osm-notes/datamarts, docs/datamarts-delta-plan.md).
--
-- The global row summarises every fact. Recomputing it from the 2.9 M facts of 1 M notes took
-- 12 s of every touched build. These tables hold partial aggregates of the facts up to
-- datamart_state.state_fact_id; a touched build adds the facts above it (an incremental ETL run
-- only appends facts, and the columns read here never change once a fact is loaded), then
-- finishes the row from them. `datamarts --all`, a first or full ETL run, or a NULL
-- state_fact_id rebuilds them from every fact. Facts of hidden actions are never counted, and
-- only facts whose country dimension row exists (as the datamart's facts read them).
ALTER TABLE dwh.datamart_state ADD COLUMN state_fact_id bigint;

-- Per action type: actions, first and latest (time, note) keys (second * 2^31 + note id), the
-- comment measures (of 'commented' actions), and the distinct notes with such an action (kept
-- for 'closed' and 'commented', the only ones the row needs; 0 for the others).
CREATE TABLE dwh.datamart_global_actions (
  action_type         text    NOT NULL PRIMARY KEY,
  actions             bigint  NOT NULL,
  notes               bigint  NOT NULL DEFAULT 0,
  closed_with_comment bigint  NOT NULL,
  min_key             bigint  NOT NULL,
  max_key             bigint  NOT NULL,
  comment_length_sum  bigint  NOT NULL,
  comment_length_n    bigint  NOT NULL,
  with_url            bigint  NOT NULL,
  with_mention        bigint  NOT NULL
);

-- Closes per days_to_resolution (whole-history average and median).
CREATE TABLE dwh.datamart_global_resolution_days (
  days   integer NOT NULL PRIMARY KEY,
  closes bigint  NOT NULL
);

-- Actions per country (the top countries).
CREATE TABLE dwh.datamart_global_countries (
  country_id integer NOT NULL PRIMARY KEY,
  actions    bigint  NOT NULL
);

-- Openings per application (applications used, most used, mobile and desktop counts).
CREATE TABLE dwh.datamart_global_applications (
  dimension_application_id integer NOT NULL PRIMARY KEY,
  openings                 bigint  NOT NULL
);
