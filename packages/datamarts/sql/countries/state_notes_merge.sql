-- Brings the notes of the countries' state (migration 0036) up to the notes' status now: the
-- notes of the new facts (dm_cd) and those the ETL runs in dm_sw's (from_run, to_run] touched,
-- whose country, day of opening or open state differ from what they counted for. Each is taken
-- out of its old count and added to its new one; a note whose status is gone leaves the counts.
DROP TABLE IF EXISTS dm_note_moves;
CREATE TEMP TABLE dm_note_moves AS
WITH candidates AS MATERIALIZED (
  SELECT id_note FROM dm_cd
  UNION
  SELECT t.entity_id FROM dwh.etl_run_touched t, dm_sw w
  WHERE t.entity = 'note' AND t.run_id > w.from_run AND t.run_id <= w.to_run
),
-- Each candidate looked up by the primary keys (OFFSET 0 keeps the lookups per note): joined,
-- the planner hashed every note of both tables for 2 000 candidates. Their dimension rows are
-- joined to the statuses found (one hash of the 43 countries, not one per note).
found AS (
  SELECT c.id_note, dc.country_id, dd.date_id AS opened_on, s.is_currently_open AS is_open
  FROM candidates c
  CROSS JOIN LATERAL (SELECT s.dimension_id_country, s.opened_dimension_id_date, s.is_currently_open
                      FROM dwh.note_current_status s WHERE s.id_note = c.id_note OFFSET 0) s
  JOIN dwh.dimension_countries dc ON dc.dimension_country_id = s.dimension_id_country
  JOIN dwh.dimension_days dd ON dd.dimension_day_id = s.opened_dimension_id_date
)
SELECT c.id_note, o.country_id AS old_country, o.opened_on AS old_day, o.is_open AS old_open,
       n.country_id AS new_country, n.opened_on AS new_day, n.is_open AS new_open
FROM candidates c
LEFT JOIN LATERAL (SELECT o.* FROM dwh.datamart_country_notes o WHERE o.id_note = c.id_note OFFSET 0) o ON true
LEFT JOIN found n ON n.id_note = c.id_note
WHERE (o.country_id, o.opened_on, o.is_open) IS DISTINCT FROM (n.country_id, n.opened_on, n.is_open);

INSERT INTO dwh.datamart_country_note_days AS t (country_id, day, notes, open_notes)
SELECT country_id, day, sum(notes), sum(open_notes)
FROM (SELECT old_country AS country_id, old_day AS day, -1 AS notes, -(old_open::integer) AS open_notes
      FROM dm_note_moves WHERE old_country IS NOT NULL
      UNION ALL
      SELECT new_country, new_day, 1, new_open::integer FROM dm_note_moves WHERE new_country IS NOT NULL) d
GROUP BY country_id, day
ON CONFLICT (country_id, day) DO UPDATE SET notes = t.notes + EXCLUDED.notes, open_notes = t.open_notes + EXCLUDED.open_notes;

DELETE FROM dwh.datamart_country_note_days t
USING dm_note_moves m WHERE t.country_id = m.old_country AND t.day = m.old_day AND t.notes = 0;

DELETE FROM dwh.datamart_country_notes t USING dm_note_moves m WHERE t.id_note = m.id_note AND m.new_country IS NULL;

INSERT INTO dwh.datamart_country_notes AS t (id_note, country_id, opened_on, is_open)
SELECT id_note, new_country, new_day, new_open FROM dm_note_moves WHERE new_country IS NOT NULL
ON CONFLICT (id_note) DO UPDATE SET country_id = EXCLUDED.country_id, opened_on = EXCLUDED.opened_on, is_open = EXCLUDED.is_open;
