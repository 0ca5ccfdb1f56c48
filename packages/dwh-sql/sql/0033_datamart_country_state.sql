-- Aggregate state of the countries datamart (@osm-notes/datamarts, docs/datamarts-delta-plan.md,
-- step 2), as migration 0032 did for global.
--
-- An ETL run of 2 000 actions touches every country, so each touched build recomputed every
-- country from all 2.9 M facts (≈ 29 s at 1 M notes). These tables hold partial aggregates
-- of the facts up to datamart_state.state_fact_id (row 'countries'); a touched build adds the
-- facts above it and finishes the rows from them. `datamarts --all`, a first or full ETL run,
-- or a NULL state_fact_id rebuilds them from every fact. As the countries' facts are read:
-- hidden actions are never counted, and a fact counts for the country of its country
-- dimension row.

-- Per country and action type: actions, closes with a comment, first and latest (time, note)
-- keys, the comment measures, and the distinct notes with such an action (kept for 'closed'
-- and 'commented').
CREATE TABLE dwh.datamart_country_actions (
  country_id          integer NOT NULL,
  action_type         text    NOT NULL,
  actions             bigint  NOT NULL,
  notes               bigint  NOT NULL DEFAULT 0,
  closed_with_comment bigint  NOT NULL,
  min_key             bigint  NOT NULL,
  max_key             bigint  NOT NULL,
  comment_length_sum  bigint  NOT NULL,
  comment_length_n    bigint  NOT NULL,
  with_url            bigint  NOT NULL,
  with_mention        bigint  NOT NULL,
  PRIMARY KEY (country_id, action_type)
);

-- Per country and UTC day: actions by type, and openings by description quality (history per
-- year, usual week, month and quarter, peak day, most active dates, note quality).
CREATE TABLE dwh.datamart_country_days (
  country_id          integer NOT NULL,
  day                 date    NOT NULL,
  actions             integer NOT NULL,
  opened              integer NOT NULL,
  commented           integer NOT NULL,
  closed              integer NOT NULL,
  reopened            integer NOT NULL,
  closed_with_comment integer NOT NULL,
  quality_poor        integer NOT NULL,
  quality_fair        integer NOT NULL,
  quality_good        integer NOT NULL,
  quality_complex     integer NOT NULL,
  quality_treatise    integer NOT NULL,
  PRIMARY KEY (country_id, day)
);

-- Per country and hour of the week (dimension_time_of_week id: ISO day * 100 + hour).
CREATE TABLE dwh.datamart_country_hours (
  country_id   integer  NOT NULL,
  hour_of_week smallint NOT NULL,
  actions      integer  NOT NULL,
  opened       integer  NOT NULL,
  commented    integer  NOT NULL,
  closed       integer  NOT NULL,
  PRIMARY KEY (country_id, hour_of_week)
);

-- Closes per country, month of the close and days_to_resolution (averages and medians of the
-- whole history, per year and per month).
CREATE TABLE dwh.datamart_country_resolution_days (
  country_id integer NOT NULL,
  month      date    NOT NULL,
  days       integer NOT NULL,
  closes     integer NOT NULL,
  PRIMARY KEY (country_id, month, days)
);

-- Average and median days_to_resolution of each country's closes per month (year, month),
-- per year (year, 0) and over the whole history (0, 0), worked out from the rows above for the
-- periods the new closes fall in only.
CREATE TABLE dwh.datamart_country_close_stats (
  country_id  integer  NOT NULL,
  year        smallint NOT NULL,
  month       smallint NOT NULL,
  closes      bigint   NOT NULL,
  avg_days    numeric  NOT NULL,
  median_days float8   NOT NULL,
  PRIMARY KEY (country_id, year, month)
);

-- Openings per country, year, application and application version (0: none).
CREATE TABLE dwh.datamart_country_openings (
  country_id                       integer  NOT NULL,
  year                             smallint NOT NULL,
  dimension_application_id         integer  NOT NULL,
  dimension_application_version_id integer  NOT NULL,
  openings                         integer  NOT NULL,
  PRIMARY KEY (country_id, year, dimension_application_id, dimension_application_version_id)
);

-- Hashtag uses per country and action type.
CREATE TABLE dwh.datamart_country_hashtags (
  country_id           integer NOT NULL,
  action_type          text    NOT NULL,
  dimension_hashtag_id integer NOT NULL,
  uses                 integer NOT NULL,
  PRIMARY KEY (country_id, action_type, dimension_hashtag_id)
);

-- Openings and closes per country, year of the action and user (-1: no user dimension row);
-- year 0 holds the whole history (the users rankings). The largest state: 1.4 M rows at 1 M
-- notes. Integer keys only: with the action type (text) in the key, a rebuild took twice as long.
CREATE TABLE dwh.datamart_country_users (
  country_id integer  NOT NULL,
  year       smallint NOT NULL,
  user_id    integer  NOT NULL,
  opened     integer  NOT NULL,
  closed     integer  NOT NULL,
  PRIMARY KEY (country_id, year, user_id)
);

-- The 10 notes of each country that took longest to resolve (each note with its longest close,
-- days descending, then note id descending). A note's longest close only grows when it is
-- closed again, so the next 10 are among these and the notes closed since.
CREATE TABLE dwh.datamart_country_longest (
  country_id integer NOT NULL,
  id_note    integer NOT NULL,
  days       integer NOT NULL,
  closed_on  date    NOT NULL,
  PRIMARY KEY (country_id, id_note)
);
