-- Family "country extras": currently open notes per opening year ({"YYYY": n}, {} when none)
-- and the 10 notes that took longest to resolve (one entry per note, its longest close;
-- days descending, then note id descending).
DROP TABLE IF EXISTS dm_country_extras;
CREATE TEMP TABLE dm_country_extras AS
WITH open_years AS (
  SELECT ek, jsonb_object_agg(yr::text, n) AS open_notes_by_year
  FROM (SELECT ek, date_part('year', opened_d)::integer AS yr, sum(n)::integer AS n
        FROM dm_notes WHERE is_open GROUP BY ek, yr) x
  GROUP BY ek
), longest AS (
  -- Kept up to date in the countries' state (countries/state_merge.sql).
  SELECT s.country_id AS ek,
         jsonb_agg(jsonb_build_object('note_id', s.id_note, 'days_to_resolution', s.days,
                                      'opened_date', to_char(s.closed_on - s.days, 'YYYY-MM-DD'),
                                      'closed_date', to_char(s.closed_on, 'YYYY-MM-DD')) ORDER BY s.days DESC, s.id_note DESC) AS longest_resolution_notes
  FROM dwh.datamart_country_longest s JOIN dm_scope e ON e.id = s.country_id
  GROUP BY s.country_id
), eks AS (SELECT ek FROM open_years UNION SELECT ek FROM longest)
SELECT * FROM eks LEFT JOIN open_years USING (ek) LEFT JOIN longest USING (ek);
