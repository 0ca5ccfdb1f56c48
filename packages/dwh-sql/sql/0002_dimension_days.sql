-- Calendar dimension. Ids are yyyymmdd (chronological and readable), generated set-based for
-- a whole range instead of one row per action as the original did.
CREATE TABLE dwh.dimension_days (
  dimension_day_id integer  NOT NULL PRIMARY KEY,
  date_id          date     NOT NULL UNIQUE,
  year             smallint NOT NULL,
  month            smallint NOT NULL,
  day              smallint NOT NULL,
  iso_year         smallint NOT NULL,
  iso_week         smallint NOT NULL,
  day_of_year      smallint NOT NULL,
  quarter          smallint NOT NULL,
  month_name       varchar(3) NOT NULL,
  day_name         varchar(3) NOT NULL,
  is_weekend       boolean  NOT NULL,
  is_month_end     boolean  NOT NULL,
  is_quarter_end   boolean  NOT NULL,
  is_year_end      boolean  NOT NULL
);

-- Adds every missing day of [p_from, p_to]; returns the number of rows added. Called by the
-- ETL before loading a batch whose actions fall outside the current range.
-- SECURITY DEFINER so the ETL writer role needs no ownership of the table.
CREATE FUNCTION dwh.ensure_days(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
DECLARE
  added integer;
BEGIN
  INSERT INTO dwh.dimension_days
  SELECT to_char(d, 'YYYYMMDD')::integer, d,
         extract(year FROM d), extract(month FROM d), extract(day FROM d),
         extract(isoyear FROM d), extract(week FROM d), extract(doy FROM d), extract(quarter FROM d),
         to_char(d, 'Mon'), to_char(d, 'Dy'),
         extract(isodow FROM d) IN (6, 7),
         d = (date_trunc('month', d) + interval '1 month - 1 day')::date,
         d = (date_trunc('quarter', d) + interval '3 months - 1 day')::date,
         extract(month FROM d) = 12 AND extract(day FROM d) = 31
  FROM generate_series(p_from, p_to, interval '1 day') AS g(ts), LATERAL (SELECT g.ts::date AS d) x
  ON CONFLICT (date_id) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;
REVOKE ALL ON FUNCTION dwh.ensure_days(date, date) FROM PUBLIC;

-- 2013-01-01 (first OSM notes) to the end of next year.
SELECT dwh.ensure_days(date '2013-01-01',
  (date_trunc('year', now() AT TIME ZONE 'UTC') + interval '2 years - 1 day')::date);
