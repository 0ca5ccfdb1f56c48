-- Year partitions for every year of the delta's actions, and calendar days for every date a
-- fact can reference (action, local action ±14 h, note creation), before loading.
SELECT coalesce(dwh.ensure_fact_partitions(min_year, max_year), 0) AS partitions,
       coalesce(dwh.ensure_days(first_day, last_day), 0) AS days
FROM (
  SELECT date_part('year', min(a.created_at))::integer AS min_year,
         date_part('year', max(a.created_at))::integer AS max_year,
         (least(min(a.created_at), (SELECT min(created_at) FROM staging.etl_notes)) - interval '1 day')::date AS first_day,
         (greatest(max(a.created_at), (SELECT max(created_at) FROM staging.etl_notes)) + interval '1 day')::date AS last_day
  FROM staging.etl_actions a
) r
WHERE min_year IS NOT NULL;
