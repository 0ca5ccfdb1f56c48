-- One row per note action, partitioned by calendar year of action_at (facts_YYYY) plus
-- facts_default, which must stay empty (dwh.validate_dwh_integrity checks it).
-- fact_id: a bigserial, not identity (identity columns on partitioned tables need PG 17).
CREATE SEQUENCE dwh.facts_fact_id_seq AS bigint;

CREATE TABLE dwh.facts (
  fact_id                                bigint    NOT NULL DEFAULT nextval('dwh.facts_fact_id_seq'),
  id_note                                integer   NOT NULL,
  sequence_action                        integer,
  dimension_id_country                   integer   NOT NULL,
  processing_time                        timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  action_at                              timestamp NOT NULL,
  action_comment                         public.note_event_enum NOT NULL,
  action_dimension_id_date               integer   NOT NULL,
  action_dimension_id_hour_of_week       smallint  NOT NULL,
  action_dimension_id_user               integer,
  opened_dimension_id_date               integer   NOT NULL,
  opened_dimension_id_hour_of_week       smallint  NOT NULL,
  opened_dimension_id_user               integer,
  closed_dimension_id_date               integer,
  closed_dimension_id_hour_of_week       smallint,
  closed_dimension_id_user               integer,
  dimension_application_creation         integer,
  dimension_application_version          integer,
  recent_opened_dimension_id_date        integer,
  days_to_resolution                     integer,
  days_to_resolution_active              integer,
  days_to_resolution_from_reopen         integer,
  hashtag_number                         integer,
  action_timezone_id                     integer,
  local_action_dimension_id_date         integer,
  local_action_dimension_id_hour_of_week smallint,
  action_dimension_id_season             smallint,
  comment_length                         integer,
  has_url                                boolean,
  has_mention                            boolean,
  total_comments_on_note                 integer,
  total_reopenings_count                 integer,
  total_actions_on_note                  integer,
  dimension_id_automation                smallint,
  -- Partitioned: a primary key must include the partition key. Also the lookup fact_hashtags
  -- joins use (fact_id leads).
  CONSTRAINT facts_pkey PRIMARY KEY (fact_id, action_at)
) PARTITION BY RANGE (action_at);
ALTER SEQUENCE dwh.facts_fact_id_seq OWNED BY dwh.facts.fact_id;

CREATE TABLE dwh.facts_default PARTITION OF dwh.facts DEFAULT;
COMMENT ON TABLE dwh.facts_default IS 'Must stay empty: the ETL creates a year partition before loading any year.';

-- Creates the missing yearly partitions facts_YYYY for [p_from_year, p_to_year]; returns how
-- many it created. The ETL calls it before loading, for every year in the batch (the original
-- only created 2013…next year at install time). Fails, by design, when the default partition
-- already holds rows of such a year. SECURITY DEFINER: creating a partition needs ownership of
-- dwh.facts, which the ETL writer role does not have.
CREATE FUNCTION dwh.ensure_fact_partitions(p_from_year integer, p_to_year integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
DECLARE
  y integer;
  created integer := 0;
BEGIN
  IF p_from_year > p_to_year OR p_from_year < 1900 OR p_to_year > 2200 THEN
    RAISE EXCEPTION 'ensure_fact_partitions: bad year range % … %', p_from_year, p_to_year
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Two concurrent callers would race on CREATE TABLE; serialise them for this transaction.
  PERFORM pg_advisory_xact_lock(hashtext('dwh.ensure_fact_partitions'));
  FOR y IN p_from_year .. p_to_year LOOP
    IF to_regclass(format('dwh.facts_%s', y)) IS NULL THEN
      EXECUTE format('CREATE TABLE dwh.%I PARTITION OF dwh.facts FOR VALUES FROM (%L) TO (%L)',
                     'facts_' || y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;
REVOKE ALL ON FUNCTION dwh.ensure_fact_partitions(integer, integer) FROM PUBLIC;

-- The years OSM notes exist plus next year; older or later years come on demand.
SELECT dwh.ensure_fact_partitions(2013, extract(year FROM now() AT TIME ZONE 'UTC')::integer + 1);

-- Bridge fact ↔ hashtag, one row per occurrence (position 1-based, duplicates included).
-- No FK to facts: its key includes action_at (partitioning).
CREATE TABLE dwh.fact_hashtags (
  fact_id               bigint   NOT NULL,
  dimension_hashtag_id  integer  NOT NULL REFERENCES dwh.dimension_hashtags,
  position              smallint NOT NULL,
  used_in_action        public.note_event_enum NOT NULL,
  is_opening_hashtag    boolean  NOT NULL DEFAULT false,
  is_resolution_hashtag boolean  NOT NULL DEFAULT false,
  CONSTRAINT fact_hashtags_pkey PRIMARY KEY (fact_id, position)
);
-- Hashtag datamart families, API /hashtags/:hashtag: all uses of one hashtag.
CREATE INDEX fact_hashtags_hashtag ON dwh.fact_hashtags (dimension_hashtag_id);
