-- Parameters of one build (filled by the orchestrator with one INSERT): the UTC day the
-- time-relative fields are computed for, and the windows derived from it.
DROP TABLE IF EXISTS dm_p;
CREATE TEMP TABLE dm_p (
  today        date      NOT NULL,
  year_start   date      NOT NULL,
  month_start  date      NOT NULL,
  d30          date      NOT NULL, -- "last 30 days": action date >= today - 30
  window_start date      NOT NULL, -- first day of the 371-day activity string (today - 370)
  since        timestamp NOT NULL  -- facts read from this time on (-infinity, or window_start)
);
DROP TABLE IF EXISTS dm_scope CASCADE; -- and the views over it (countries/counts.sql)
CREATE TEMP TABLE dm_scope (id integer PRIMARY KEY);
DROP TABLE IF EXISTS dm_touched;
CREATE TEMP TABLE dm_touched (id integer PRIMARY KEY);
-- Touched users recomputed only in what others' actions change (users/scope_passive.sql).
DROP TABLE IF EXISTS dm_passive;
CREATE TEMP TABLE dm_passive (id integer PRIMARY KEY);
-- Of the passive openers (users/passive_periods.sql), the year and month of opening of each
-- note the ETL runs touched: the periods whose resolution rate can have changed.
DROP TABLE IF EXISTS dm_pp;
CREATE TEMP TABLE dm_pp (ek integer NOT NULL, yr integer NOT NULL, mo integer NOT NULL, PRIMARY KEY (ek, yr, mo));
-- The countries' ranking lists recomputed, by year (countries/rank_years.sql); yr -1: every year.
DROP TABLE IF EXISTS dm_rank_years;
CREATE TEMP TABLE dm_rank_years (ek integer NOT NULL, yr integer NOT NULL);
-- The years whose lists by year a family does not compute but keeps from the rows (shared/
-- applications.sql; filled by countries/counts.sql, emptied by users/counts.sql).
DROP TABLE IF EXISTS dm_years_kept;
CREATE TEMP TABLE dm_years_kept (ek integer NOT NULL, yr integer NOT NULL, PRIMARY KEY (ek, yr));
-- A fact watermark: of the countries' state (countries/state_delta.sql), of the users' rows
-- (users/scope_passive.sql); for the countries' state, also the ETL runs (from_run, to_run]
-- whose touched notes it brings up to date (countries/state_notes_merge.sql).
DROP TABLE IF EXISTS dm_sw;
CREATE TEMP TABLE dm_sw (from_fact bigint NOT NULL, to_fact bigint, from_run bigint, to_run bigint);
