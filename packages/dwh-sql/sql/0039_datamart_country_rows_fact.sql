-- The countries' rows keep the ranking lists of the years no new fact falls in (datamarts
-- countries/rank_years.sql): the highest fact id the countries' rows include. Not the state's
-- watermark (state_fact_id of the same row), which `datamarts --only global` moves without
-- building the countries. NULL: not known, every year's lists are recomputed.
ALTER TABLE dwh.datamart_state ADD COLUMN rows_fact_id bigint;
