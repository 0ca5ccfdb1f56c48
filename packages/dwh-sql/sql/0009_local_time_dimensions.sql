-- Time zone bands (from a note's longitude) and seasons (from its latitude and the month).
CREATE TABLE dwh.dimension_timezones (
  dimension_timezone_id serial      PRIMARY KEY,
  tz_name               varchar(64) NOT NULL UNIQUE,
  utc_offset_minutes    smallint    NOT NULL
);
-- 'UTC', then the 15° bands UTC-12 … UTC+14 the ETL assigns ('UTC+n' / 'UTC-n').
INSERT INTO dwh.dimension_timezones (tz_name, utc_offset_minutes) VALUES ('UTC', 0);
INSERT INTO dwh.dimension_timezones (tz_name, utc_offset_minutes)
SELECT CASE WHEN h > 0 THEN 'UTC+' || h ELSE 'UTC' || h END, h * 60
FROM generate_series(-12, 14) AS h WHERE h <> 0 ORDER BY h;
-- Named zones of the original; no rule uses them, kept for analysts' queries.
INSERT INTO dwh.dimension_timezones (tz_name, utc_offset_minutes) VALUES
  ('Europe/London', 0), ('Europe/Berlin', 60), ('Europe/Madrid', 60), ('Europe/Paris', 60),
  ('America/New_York', -300), ('America/Chicago', -360), ('America/Denver', -420),
  ('America/Los_Angeles', -480), ('America/Bogota', -300), ('America/Lima', -300),
  ('America/Mexico_City', -360), ('America/Sao_Paulo', -180), ('America/Buenos_Aires', -180),
  ('Africa/Cairo', 120), ('Africa/Johannesburg', 120), ('Asia/Tokyo', 540), ('Asia/Shanghai', 480),
  ('Asia/Kolkata', 330), ('Australia/Sydney', 600), ('Pacific/Auckland', 720);

CREATE TABLE dwh.dimension_seasons (
  dimension_season_id smallint    NOT NULL PRIMARY KEY,
  season_name_en      varchar(16) NOT NULL,
  season_name_es      varchar(16) NOT NULL
);
INSERT INTO dwh.dimension_seasons VALUES
  (0, 'No season', 'Sin estación'), (1, 'Spring', 'Primavera'), (2, 'Summer', 'Verano'),
  (3, 'Autumn', 'Otoño'), (4, 'Winter', 'Invierno');
