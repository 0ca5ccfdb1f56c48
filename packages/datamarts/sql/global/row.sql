-- The single datamartglobal row (dimension_global_id = 1), from the same family tables as users
-- and countries (one definition per concept), plus the global-only extras.
DROP TABLE IF EXISTS dm_row;
CREATE TEMP TABLE dm_row AS
SELECT 1 AS dimension_global_id,
       fi.date_starting_creating_notes, fi.date_starting_solving_notes,
       fi.first_open_note_id, fi.first_closed_note_id, fi.first_reopened_note_id,
       fi.latest_open_note_id, fi.latest_closed_note_id, fi.latest_reopened_note_id,
       coalesce(r.last_year_activity, repeat('0', 371))::char(371) AS last_year_activity,
       coalesce(h.history_whole_open, 0) AS history_whole_open,
       coalesce(h.history_whole_commented, 0) AS history_whole_commented,
       coalesce(h.history_whole_closed, 0) AS history_whole_closed,
       coalesce(h.history_whole_closed_with_comment, 0) AS history_whole_closed_with_comment,
       coalesce(h.history_whole_reopened, 0) AS history_whole_reopened,
       coalesce(r.history_year_open, 0) AS history_year_open,
       coalesce(r.history_year_commented, 0) AS history_year_commented,
       coalesce(r.history_year_closed, 0) AS history_year_closed,
       coalesce(r.history_year_closed_with_comment, 0) AS history_year_closed_with_comment,
       coalesce(r.history_year_reopened, 0) AS history_year_reopened,
       coalesce(rs.still_open, 0) AS currently_open_count,
       coalesce(rs.notes - rs.still_open, 0) AS currently_closed_count,
       coalesce(r.notes_created_last_30_days, 0) AS notes_created_last_30_days,
       coalesce(r.notes_resolved_last_30_days, 0) AS notes_resolved_last_30_days,
       coalesce(rs.still_open, 0) AS notes_backlog_size,
       coalesce(rs.avg_days_to_resolution, 0)::numeric(10,2) AS avg_days_to_resolution,
       coalesce(rs.median_days_to_resolution, 0)::numeric(10,2) AS median_days_to_resolution,
       coalesce(r.avg_days_year, 0)::numeric(10,2) AS avg_days_to_resolution_current_year,
       coalesce(r.median_days_year, 0)::numeric(10,2) AS median_days_to_resolution_current_year,
       coalesce(rs.notes_resolved_count, 0) AS notes_resolved_count,
       coalesce(rs.resolution_rate, 0)::numeric(5,2) AS resolution_rate,
       coalesce(gx.active_users_count, 0) AS active_users_count,
       coalesce(r.age_object, '{"0-7_days": 0, "8-30_days": 0, "31-90_days": 0, "90_plus_days": 0}') AS notes_age_distribution,
       coalesce(gx.top_countries, '[]') AS top_countries,
       coalesce((SELECT jsonb_agg(jsonb_build_object('application_id', e.v -> 'app_id', 'application_name', e.v -> 'app_name',
                                                     'usage_count', e.v -> 'count') ORDER BY e.ord)
                 FROM jsonb_array_elements(ap.applications_used) WITH ORDINALITY AS e(v, ord) WHERE e.ord <= 10), '[]') AS applications_used,
       ap.most_used_application_id,
       coalesce(ap.mobile_apps_count, 0) AS mobile_apps_count, coalesce(ap.desktop_apps_count, 0) AS desktop_apps_count,
       coalesce(cm.avg_comment_length, 0)::numeric(10,2) AS avg_comment_length,
       coalesce(cm.comments_with_url_pct, 0)::numeric(5,2) AS comments_with_url_pct,
       coalesce(cm.comments_with_mention_pct, 0)::numeric(5,2) AS comments_with_mention_pct,
       coalesce(cm.avg_comments_per_note, 0)::numeric(10,2) AS avg_comments_per_note
FROM (SELECT 1 AS ek) g
LEFT JOIN dm_firsts fi USING (ek)
LEFT JOIN dm_history h USING (ek)
LEFT JOIN dm_recent r USING (ek)
LEFT JOIN dm_resolution rs USING (ek)
LEFT JOIN dm_applications ap USING (ek)
LEFT JOIN dm_comments cm USING (ek)
LEFT JOIN dm_global_extras gx USING (ek);
