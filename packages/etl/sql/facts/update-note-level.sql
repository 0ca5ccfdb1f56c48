-- Loaded facts of the delta's notes whose note-level columns change because of the new
-- actions (a reopen years later, a late comment…). Runs before facts/insert.sql, while the
-- view still sees only the old facts as loaded. Unchanged rows are not rewritten.
UPDATE dwh.facts f
SET recent_opened_dimension_id_date = v.recent_opened_dimension_id_date,
    days_to_resolution = v.days_to_resolution,
    days_to_resolution_active = v.days_to_resolution_active,
    days_to_resolution_from_reopen = v.days_to_resolution_from_reopen,
    total_comments_on_note = v.total_comments_on_note,
    total_reopenings_count = v.total_reopenings_count,
    total_actions_on_note = v.total_actions_on_note
FROM etl_note_level v
WHERE v.loaded AND f.id_note = v.note_id AND f.sequence_action = v.sequence_action
  AND (f.recent_opened_dimension_id_date, f.days_to_resolution, f.days_to_resolution_active,
       f.days_to_resolution_from_reopen, f.total_comments_on_note, f.total_reopenings_count, f.total_actions_on_note)
      IS DISTINCT FROM
      (v.recent_opened_dimension_id_date, v.days_to_resolution, v.days_to_resolution_active,
       v.days_to_resolution_from_reopen, v.total_comments_on_note, v.total_reopenings_count, v.total_actions_on_note);
