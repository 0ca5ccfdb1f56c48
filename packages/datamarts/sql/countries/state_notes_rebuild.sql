-- The notes of the countries' state (migration 0036), rebuilt from every note's status (after
-- countries/state_clear.sql emptied them): each note's country, day of opening and whether it
-- is open, then the counts per country and day. Both tables are loaded without their primary
-- keys (state_clear.sql), so in no particular order.
INSERT INTO dwh.datamart_country_notes (id_note, country_id, opened_on, is_open)
SELECT s.id_note, dc.country_id, dd.date_id, s.is_currently_open
FROM dwh.note_current_status s
JOIN dwh.dimension_countries dc ON dc.dimension_country_id = s.dimension_id_country
JOIN dwh.dimension_days dd ON dd.dimension_day_id = s.opened_dimension_id_date;

INSERT INTO dwh.datamart_country_note_days (country_id, day, notes, open_notes)
SELECT country_id, opened_on, count(*), count(*) FILTER (WHERE is_open)
FROM dwh.datamart_country_notes GROUP BY country_id, opened_on;
