-- The full datamartusers row of every user in scope, assembled from the family tables. The
-- username is the user's current one (a renamed user is one row, §13 defect 17).
-- The users' current names first, in their own analyzed table: as a CTE (DISTINCT ON over a
-- UNION) the planner guessed 200 rows and, at every one of the 12 joins, hashed the row built
-- so far (up to 2.6 kB wide) instead of the family table: 6 of the 9 s of this step at 1 M notes.
DROP TABLE IF EXISTS dm_ident;
CREATE TEMP TABLE dm_ident AS
SELECT DISTINCT ON (du.user_id) du.user_id, du.dimension_user_id, du.username
FROM (
  -- Many users (a full build): one scan of the names, hashed against the scope. A few (a
  -- touched build): theirs by the user index, all their ids in one array (2 062 users at
  -- 1 M notes: 0.02 s, against 0.05 s for the scan). Only one branch runs.
  SELECT du.user_id, du.dimension_user_id, du.username, du.is_current, du.valid_from
  FROM dwh.dimension_users du JOIN dm_scope s ON s.id = du.user_id
  WHERE (SELECT count(*) FROM dm_scope) > 20000
  UNION ALL
  SELECT du.user_id, du.dimension_user_id, du.username, du.is_current, du.valid_from
  FROM dwh.dimension_users du
  WHERE (SELECT count(*) FROM dm_scope) <= 20000 AND du.user_id = ANY (ARRAY(SELECT s.id FROM dm_scope s))
) du
ORDER BY du.user_id, du.is_current DESC, du.valid_from DESC, du.dimension_user_id DESC;
ANALYZE dm_ident;
-- toast_tuple_target: rows of a few kB stay inline and uncompressed (written once, read once by
-- the upsert): compressing them took 4 of the 14 s of this step at 1 M notes.
DROP TABLE IF EXISTS dm_row;
CREATE TEMP TABLE dm_row WITH (toast_tuple_target = 8160) AS
SELECT i.user_id, i.dimension_user_id, i.username::varchar(256) AS username,
       rc.id_contributor_type,
       fi.date_starting_creating_notes, fi.date_starting_solving_notes,
       fi.first_open_note_id, fi.first_commented_note_id, fi.first_closed_note_id, fi.first_reopened_note_id,
       fi.latest_open_note_id, fi.latest_commented_note_id, fi.latest_closed_note_id, fi.latest_reopened_note_id,
       rc.last_year_activity,
       da.dates_most_open, da.dates_most_closed,
       coalesce(ht.hashtags, '[]') AS hashtags,
       rk.open_all AS countries_open_notes, rk.close_all AS countries_solving_notes,
       rc.countries_open_notes_current_month, rc.countries_solving_notes_current_month,
       rc.countries_open_notes_current_day, rc.countries_solving_notes_current_day,
       wh.working_hours_of_week_opening, wh.working_hours_of_week_commenting, wh.working_hours_of_week_closing,
       coalesce(h.history_whole_open, 0) AS history_whole_open,
       coalesce(h.history_whole_commented, 0) AS history_whole_commented,
       coalesce(h.history_whole_closed, 0) AS history_whole_closed,
       coalesce(h.history_whole_closed_with_comment, 0) AS history_whole_closed_with_comment,
       coalesce(h.history_whole_reopened, 0) AS history_whole_reopened,
       rc.history_year_open, rc.history_year_commented, rc.history_year_closed, rc.history_year_closed_with_comment, rc.history_year_reopened,
       rc.history_month_open, rc.history_month_commented, rc.history_month_closed, rc.history_month_closed_with_comment, rc.history_month_reopened,
       rc.history_day_open, rc.history_day_commented, rc.history_day_closed, rc.history_day_closed_with_comment, rc.history_day_reopened,
       coalesce(h.history_by_year, '{}') AS history_by_year,
       coalesce(rk.open_by_year, '{}') AS ranking_countries_opening_by_year,
       coalesce(rk.close_by_year, '{}') AS ranking_countries_closing_by_year,
       coalesce(rs.avg_days_to_resolution, 0)::numeric(10,2) AS avg_days_to_resolution,
       coalesce(rs.median_days_to_resolution, 0)::numeric(10,2) AS median_days_to_resolution,
       coalesce(rs.notes_resolved_count, 0) AS notes_resolved_count,
       coalesce(rs.still_open, 0) AS notes_still_open_count,
       coalesce(co.notes_opened_but_not_closed_by_user, 0) AS notes_opened_but_not_closed_by_user,
       coalesce(rs.resolution_rate, 0)::numeric(5,2) AS resolution_rate,
       ap.applications_used, ap.most_used_application_id,
       coalesce(ap.mobile_apps_count, 0) AS mobile_apps_count, coalesce(ap.desktop_apps_count, 0) AS desktop_apps_count,
       coalesce(cm.avg_comment_length, 0)::numeric(10,2) AS avg_comment_length,
       coalesce(cm.comments_with_url_count, 0) AS comments_with_url_count,
       coalesce(cm.comments_with_url_pct, 0)::numeric(5,2) AS comments_with_url_pct,
       coalesce(cm.comments_with_mention_count, 0) AS comments_with_mention_count,
       coalesce(cm.comments_with_mention_pct, 0)::numeric(5,2) AS comments_with_mention_pct,
       coalesce(cm.avg_comments_per_note, 0)::numeric(10,2) AS avg_comments_per_note,
       coalesce(rs.still_open, 0) AS active_notes_count,
       coalesce(rs.still_open, 0) AS notes_backlog_size,
       rc.notes_age_distribution,
       rc.notes_created_last_30_days, rc.notes_resolved_last_30_days,
       rs.resolution_by_year, rs.resolution_by_month,
       coalesce(ht.hashtags_opening, '[]') AS hashtags_opening,
       coalesce(ht.hashtags_resolution, '[]') AS hashtags_resolution,
       coalesce(ht.hashtags_comments, '[]') AS hashtags_comments,
       ht.favorite_opening_hashtag::varchar(50), ht.favorite_resolution_hashtag::varchar(50),
       coalesce(ht.opening_hashtag_count, 0) AS opening_hashtag_count,
       coalesce(ht.resolution_hashtag_count, 0) AS resolution_hashtag_count,
       coalesce(ap.application_usage_trends, '[]') AS application_usage_trends,
       coalesce(ap.version_adoption_rates, '[]') AS version_adoption_rates,
       coalesce(co.user_response_time, 0)::numeric(12,2) AS user_response_time,
       rc.days_since_last_action,
       coalesce(co.collaboration_patterns,
                '{"mentions_given": 0, "mentions_received": 0, "replies_count": 0, "collaboration_score": 0}') AS collaboration_patterns,
       pt.iso_week, pt.quarter, pt.month_name::varchar(3), pt.hour_of_week, pt.period_of_day::varchar(16),
       coalesce(pt.note_quality_poor_count, 0) AS note_quality_poor_count,
       coalesce(pt.note_quality_fair_count, 0) AS note_quality_fair_count,
       coalesce(pt.note_quality_good_count, 0) AS note_quality_good_count,
       coalesce(pt.note_quality_complex_count, 0) AS note_quality_complex_count,
       coalesce(pt.note_quality_treatise_count, 0) AS note_quality_treatise_count,
       pt.peak_day_notes_created, pt.peak_day_notes_created_count,
       pt.peak_hour_notes_created, pt.peak_hour_notes_created_count,
       fi.last_action_timestamp
FROM dm_ident i
JOIN dm_row_recent rc ON rc.user_id = i.user_id
LEFT JOIN dm_firsts fi ON fi.ek = i.user_id
LEFT JOIN dm_history h ON h.ek = i.user_id
LEFT JOIN dm_dates da ON da.ek = i.user_id
LEFT JOIN dm_hashtags ht ON ht.ek = i.user_id
LEFT JOIN dm_rankings rk ON rk.ek = i.user_id
LEFT JOIN dm_working_hours wh ON wh.ek = i.user_id
LEFT JOIN dm_resolution rs ON rs.ek = i.user_id
LEFT JOIN dm_applications ap ON ap.ek = i.user_id
LEFT JOIN dm_comments cm ON cm.ek = i.user_id
LEFT JOIN dm_collaboration co ON co.ek = i.user_id
LEFT JOIN dm_patterns pt ON pt.ek = i.user_id;
