-- Family "country extras": currently open notes per opening year ({"YYYY": n}, {} when none)
-- and the 10 notes that took longest to resolve (one entry per note, its longest close;
-- days descending, then note id descending).
DROP TABLE IF EXISTS dm_country_extras;
CREATE TEMP TABLE dm_country_extras AS
WITH open_years AS (
  SELECT ek, jsonb_object_agg(yr::text, n) AS open_notes_by_year
  FROM (SELECT ek, date_part('year', opened_d)::integer AS yr, count(*)::integer AS n
        FROM dm_notes WHERE is_open GROUP BY ek, yr) x
  GROUP BY ek
), longest AS (
  SELECT ek, jsonb_agg(jsonb_build_object('note_id', id_note, 'days_to_resolution', dtr,
                                          'opened_date', to_char(d - dtr, 'YYYY-MM-DD'),
                                          'closed_date', to_char(d, 'YYYY-MM-DD')) ORDER BY pos) AS longest_resolution_notes
  FROM (SELECT ek, id_note, dtr, d, row_number() OVER (PARTITION BY ek ORDER BY dtr DESC, id_note DESC) AS pos
        FROM (SELECT DISTINCT ON (ek, id_note) ek, id_note, dtr, d FROM dm_f
              WHERE ty = 'closed' AND dtr > 0 ORDER BY ek, id_note, dtr DESC, d DESC) x) y
  WHERE pos <= 10
  GROUP BY ek
), eks AS (SELECT ek FROM open_years UNION SELECT ek FROM longest)
SELECT * FROM eks LEFT JOIN open_years USING (ek) LEFT JOIN longest USING (ek);
