-- The time-relative columns of every user in scope (the same statement serves the normal
-- build and the daily pass over every row).
DROP TABLE IF EXISTS dm_row_recent;
CREATE TEMP TABLE dm_row_recent AS
SELECT s.id AS user_id,
       coalesce(r.history_year_open, 0) AS history_year_open,
       coalesce(r.history_year_commented, 0) AS history_year_commented,
       coalesce(r.history_year_closed, 0) AS history_year_closed,
       coalesce(r.history_year_closed_with_comment, 0) AS history_year_closed_with_comment,
       coalesce(r.history_year_reopened, 0) AS history_year_reopened,
       coalesce(r.history_month_open, 0) AS history_month_open,
       coalesce(r.history_month_commented, 0) AS history_month_commented,
       coalesce(r.history_month_closed, 0) AS history_month_closed,
       coalesce(r.history_month_closed_with_comment, 0) AS history_month_closed_with_comment,
       coalesce(r.history_month_reopened, 0) AS history_month_reopened,
       coalesce(r.history_day_open, 0) AS history_day_open,
       coalesce(r.history_day_commented, 0) AS history_day_commented,
       coalesce(r.history_day_closed, 0) AS history_day_closed,
       coalesce(r.history_day_closed_with_comment, 0) AS history_day_closed_with_comment,
       coalesce(r.history_day_reopened, 0) AS history_day_reopened,
       rr.open_month AS countries_open_notes_current_month,
       rr.close_month AS countries_solving_notes_current_month,
       rr.open_day AS countries_open_notes_current_day,
       rr.close_day AS countries_solving_notes_current_day,
       coalesce(r.notes_created_last_30_days, 0) AS notes_created_last_30_days,
       coalesce(r.notes_resolved_last_30_days, 0) AS notes_resolved_last_30_days,
       coalesce(r.last_year_activity, repeat('0', 371))::char(371) AS last_year_activity,
       r.notes_age_distribution,
       ct.id_contributor_type,
       ct.days_since_last_action
FROM dm_scope s
LEFT JOIN dm_recent r ON r.ek = s.id
LEFT JOIN dm_recent_rankings rr ON rr.ek = s.id
LEFT JOIN dm_contributor ct ON ct.ek = s.id;
