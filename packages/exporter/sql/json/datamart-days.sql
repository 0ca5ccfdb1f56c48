-- The UTC day each datamart's time-relative fields (today, current month/year, last 30 days,
-- the 371-day activity string, contributor type) were computed for. The exporter refuses to
-- publish documents whose "today" is not the export's day.
SELECT datamart, time_relative_date::text AS day FROM dwh.datamart_state
