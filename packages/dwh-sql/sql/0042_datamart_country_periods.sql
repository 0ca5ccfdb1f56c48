-- What the countries' patterns family (datamarts countries/patterns.sql) reads of the days of
-- migration 0033, summed: actions per ISO week number, quarter and month of the year, and
-- openings per description quality class (0 poor … 4 treatise). A touched build reads ≈ 70 rows
-- per country instead of every day of its history (190 000 days for the 43 countries a
-- 2 000-action run touches at 1 M notes: 0.7–0.9 s).
CREATE TABLE dwh.datamart_country_periods (
  country_id integer  NOT NULL,
  -- 'week', 'quarter', 'month' (value: its number) or 'quality' (value: the class).
  kind       text     NOT NULL,
  value      smallint NOT NULL,
  n          bigint   NOT NULL,
  PRIMARY KEY (country_id, kind, value)
);

INSERT INTO dwh.datamart_country_periods (country_id, kind, value, n)
SELECT s.country_id, p.kind, p.value, sum(p.n)
FROM dwh.datamart_country_days s
CROSS JOIN LATERAL (VALUES ('week', date_part('week', s.day)::smallint, s.actions),
                           ('quarter', date_part('quarter', s.day)::smallint, s.actions),
                           ('month', date_part('month', s.day)::smallint, s.actions),
                           ('quality', 0::smallint, s.quality_poor), ('quality', 1::smallint, s.quality_fair),
                           ('quality', 2::smallint, s.quality_good), ('quality', 3::smallint, s.quality_complex),
                           ('quality', 4::smallint, s.quality_treatise)) p (kind, value, n)
GROUP BY 1, 2, 3;
