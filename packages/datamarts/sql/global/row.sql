-- The single datamartglobal row (dimension_global_id = 1): the whole-history measures from the
-- countries' state summed over countries (migrations 0033, 0034, brought up to date by
-- countries/state_merge.sql earlier in the same transaction), the time-relative ones
-- from the same recent family as users and countries (dm_f holds only the last 371 days here),
-- the open notes from dm_notes. Each measure is defined as in the families users and countries
-- compute from their facts (shared/*.sql); the equivalence tests compare it with them.
DROP TABLE IF EXISTS dm_row;
CREATE TEMP TABLE dm_row AS
WITH a AS (
  SELECT pg_temp.dm_key_day(min(min_key) FILTER (WHERE action_type = 'opened')) AS date_starting_creating_notes,
         pg_temp.dm_key_day(min(min_key) FILTER (WHERE action_type = 'closed')) AS date_starting_solving_notes,
         pg_temp.dm_key_note(min(min_key) FILTER (WHERE action_type = 'opened'))   AS first_open_note_id,
         pg_temp.dm_key_note(min(min_key) FILTER (WHERE action_type = 'closed'))   AS first_closed_note_id,
         pg_temp.dm_key_note(min(min_key) FILTER (WHERE action_type = 'reopened')) AS first_reopened_note_id,
         pg_temp.dm_key_note(max(max_key) FILTER (WHERE action_type = 'opened'))   AS latest_open_note_id,
         pg_temp.dm_key_note(max(max_key) FILTER (WHERE action_type = 'closed'))   AS latest_closed_note_id,
         pg_temp.dm_key_note(max(max_key) FILTER (WHERE action_type = 'reopened')) AS latest_reopened_note_id,
         coalesce(sum(actions) FILTER (WHERE action_type = 'opened'), 0)::integer    AS history_whole_open,
         coalesce(sum(actions) FILTER (WHERE action_type = 'commented'), 0)::integer AS history_whole_commented,
         coalesce(sum(actions) FILTER (WHERE action_type = 'closed'), 0)::integer    AS history_whole_closed,
         coalesce(sum(closed_with_comment), 0)::integer                               AS history_whole_closed_with_comment,
         coalesce(sum(actions) FILTER (WHERE action_type = 'reopened'), 0)::integer  AS history_whole_reopened,
         -- Comment measures (shared/comments.sql): of 'commented' actions only.
         sum(actions) FILTER (WHERE action_type = 'commented') AS comments,
         sum(comment_length_sum) FILTER (WHERE action_type = 'commented') AS comment_length_sum,
         sum(comment_length_n) FILTER (WHERE action_type = 'commented') AS comment_length_n,
         sum(with_url) FILTER (WHERE action_type = 'commented') AS with_url,
         sum(with_mention) FILTER (WHERE action_type = 'commented') AS with_mention,
         (SELECT notes FROM dwh.datamart_global_notes WHERE action_type = 'commented') AS commented_notes,
         coalesce((SELECT notes FROM dwh.datamart_global_notes WHERE action_type = 'closed'), 0)::integer AS notes_resolved_count
  FROM dwh.datamart_country_actions
), closes AS (
  SELECT days, sum(closes) AS closes FROM dwh.datamart_country_resolution_values WHERE year = 0 GROUP BY days
), days AS (
  -- Closes in days_to_resolution order, with the 0-based positions each value covers.
  SELECT days, sum(closes) OVER (ORDER BY days) - closes AS first_pos, sum(closes) OVER (ORDER BY days) - 1 AS last_pos,
         sum(closes) OVER () AS n
  FROM closes
), rd AS (
  -- avg(days_to_resolution) and percentile_cont(0.5) over the closes (shared/resolution.sql),
  -- from the counts: the two middle positions of n values, interpolated as percentile_cont does.
  SELECT round(sum(r.days::numeric * r.closes) / nullif(sum(r.closes), 0), 2) AS avg_days_to_resolution,
         (SELECT round((lo.days + (hi.days - lo.days) * 0.5::float8)::numeric, 2)
          FROM days lo, days hi
          WHERE floor((lo.n - 1) / 2.0) BETWEEN lo.first_pos AND lo.last_pos
            AND ceil((hi.n - 1) / 2.0) BETWEEN hi.first_pos AND hi.last_pos) AS median_days_to_resolution
  FROM closes r
), nt AS (
  SELECT coalesce(sum(n), 0)::integer AS notes, coalesce(sum(n) FILTER (WHERE is_open), 0)::integer AS still_open FROM dm_notes
), apps AS (
  -- shared/applications.sql: applications that exist in the dimension, by openings then id.
  SELECT s.app, s.n, da.application_name, da.platform, da.category
  FROM (SELECT dimension_application_id AS app, sum(openings)::integer AS n
        FROM dwh.datamart_country_openings GROUP BY dimension_application_id) s
  JOIN dwh.dimension_applications da ON da.dimension_application_id = s.app
), ap AS (
  SELECT (SELECT jsonb_agg(jsonb_build_object('application_id', t.app, 'application_name', t.application_name, 'usage_count', t.n)
                           ORDER BY t.n DESC, t.app)
          FROM (SELECT * FROM apps ORDER BY n DESC, app LIMIT 10) t) AS applications_used,
         (array_agg(app ORDER BY n DESC, app))[1] AS most_used_application_id,
         count(*) FILTER (WHERE pg_temp.dm_is_mobile(platform, category))::integer AS mobile_apps_count,
         count(*) FILTER (WHERE pg_temp.dm_is_desktop(platform))::integer AS desktop_apps_count
  FROM apps
), top AS (
  -- The 10 countries with most actions ({country_id, country_name, total_actions}; ties by id).
  SELECT jsonb_agg(jsonb_build_object('country_id', c.country_id, 'country_name', l.label, 'total_actions', c.actions)
                   ORDER BY c.actions DESC, c.country_id) AS top_countries
  FROM (SELECT country_id, sum(actions)::integer AS actions FROM dwh.datamart_country_actions
        GROUP BY country_id ORDER BY actions DESC, country_id LIMIT 10) c
  LEFT JOIN dm_rk_label l ON l.rk = c.country_id
)
SELECT 1 AS dimension_global_id,
       a.date_starting_creating_notes, a.date_starting_solving_notes,
       a.first_open_note_id, a.first_closed_note_id, a.first_reopened_note_id,
       a.latest_open_note_id, a.latest_closed_note_id, a.latest_reopened_note_id,
       coalesce(r.last_year_activity, repeat('0', 371))::char(371) AS last_year_activity,
       a.history_whole_open, a.history_whole_commented, a.history_whole_closed,
       a.history_whole_closed_with_comment, a.history_whole_reopened,
       coalesce(r.history_year_open, 0) AS history_year_open,
       coalesce(r.history_year_commented, 0) AS history_year_commented,
       coalesce(r.history_year_closed, 0) AS history_year_closed,
       coalesce(r.history_year_closed_with_comment, 0) AS history_year_closed_with_comment,
       coalesce(r.history_year_reopened, 0) AS history_year_reopened,
       nt.still_open AS currently_open_count,
       nt.notes - nt.still_open AS currently_closed_count,
       coalesce(r.notes_created_last_30_days, 0) AS notes_created_last_30_days,
       coalesce(r.notes_resolved_last_30_days, 0) AS notes_resolved_last_30_days,
       nt.still_open AS notes_backlog_size,
       coalesce(rd.avg_days_to_resolution, 0)::numeric(10,2) AS avg_days_to_resolution,
       coalesce(rd.median_days_to_resolution, 0)::numeric(10,2) AS median_days_to_resolution,
       coalesce(r.avg_days_year, 0)::numeric(10,2) AS avg_days_to_resolution_current_year,
       coalesce(r.median_days_year, 0)::numeric(10,2) AS median_days_to_resolution_current_year,
       a.notes_resolved_count,
       pg_temp.dm_pct(nt.notes - nt.still_open, nt.notes)::numeric(5,2) AS resolution_rate,
       coalesce(gx.active_users_count, 0) AS active_users_count,
       coalesce(r.age_object, '{"0-7_days": 0, "8-30_days": 0, "31-90_days": 0, "90_plus_days": 0}') AS notes_age_distribution,
       coalesce(top.top_countries, '[]') AS top_countries,
       coalesce(ap.applications_used, '[]') AS applications_used,
       ap.most_used_application_id,
       ap.mobile_apps_count, ap.desktop_apps_count,
       coalesce(round(a.comment_length_sum::numeric / nullif(a.comment_length_n, 0), 2), 0)::numeric(10,2) AS avg_comment_length,
       pg_temp.dm_pct(a.with_url, a.comments)::numeric(5,2) AS comments_with_url_pct,
       pg_temp.dm_pct(a.with_mention, a.comments)::numeric(5,2) AS comments_with_mention_pct,
       coalesce(round(a.comments::numeric / nullif(a.commented_notes, 0), 2), 0)::numeric(10,2) AS avg_comments_per_note
FROM a, rd, nt, ap, top
LEFT JOIN dm_recent r ON r.ek = 1
LEFT JOIN dm_global_extras gx ON gx.ek = 1;
