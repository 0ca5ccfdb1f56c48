-- Helpers for analysts' ad-hoc SQL (kept from the original). Pure arithmetic on the
-- timestamp: the ETL computes the same ids set-based and never calls these per row.
-- Unlike the original, get_date_id does not insert the day; dwh.ensure_days does that.
CREATE FUNCTION dwh.get_date_id(p_date timestamp) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (extract(year FROM p_date) * 10000 + extract(month FROM p_date) * 100 + extract(day FROM p_date))::integer
$$;

CREATE FUNCTION dwh.get_hour_of_week_id(p_date timestamp) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (extract(isodow FROM p_date) * 100 + extract(hour FROM p_date))::smallint
$$;
