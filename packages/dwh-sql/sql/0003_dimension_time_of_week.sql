-- 168 hours of an ISO week. Id = isodow*100 + hour (101…723), so fact columns are computed
-- arithmetically from a timestamp, no lookup.
CREATE TABLE dwh.dimension_time_of_week (
  dimension_tow_id smallint    NOT NULL PRIMARY KEY,
  day_of_week      smallint    NOT NULL,
  hour_of_day      smallint    NOT NULL,
  hour_of_week     smallint    NOT NULL,
  period_of_day    varchar(16) NOT NULL
);

INSERT INTO dwh.dimension_time_of_week
SELECT dow * 100 + h, dow, h, (dow - 1) * 24 + h,
       CASE WHEN h < 6 THEN 'Night' WHEN h < 12 THEN 'Morning' WHEN h < 18 THEN 'Afternoon' ELSE 'Evening' END
FROM generate_series(1, 7) AS dow, generate_series(0, 23) AS h;
