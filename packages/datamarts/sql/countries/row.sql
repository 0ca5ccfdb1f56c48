-- The full datamartcountries row of every country in scope, assembled from the family tables.

-- A country's ranking lists by year ({"YYYY": [...]}) of the years not recomputed by this build
-- (countries/rank_years.sql): kept from its row.
-- The years' keys are deleted from the object (jsonb - text[]) rather than the object rebuilt
-- from its kept entries (jsonb_object_agg re-encodes every list): 70 → 19 ms per column.
CREATE OR REPLACE FUNCTION pg_temp.dm_kept_years(country integer, by_year jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN bool_or(r.yr = -1) THEN '{}'::jsonb
               ELSE coalesce(by_year, '{}') - coalesce(array_agg(r.yr::text), '{}') END
   FROM dm_rank_years r WHERE r.ek = country $$;

-- A country's lists of {year, …} items ordered by year (application trends, version adoption):
-- the items computed by this build, and those of its row of the years it did not compute.
CREATE OR REPLACE FUNCTION pg_temp.dm_kept_year_items(country integer, computed jsonb, kept jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS
$$ SELECT coalesce(jsonb_agg(x.e ORDER BY (x.e ->> 'year')::integer), '[]')
   FROM (SELECT c.e FROM jsonb_array_elements(coalesce(computed, '[]')) c (e)
         UNION ALL
         SELECT k.e FROM jsonb_array_elements(coalesce(kept, '[]')) k (e)
         WHERE EXISTS (SELECT 1 FROM dm_years_kept y WHERE y.ek = country AND y.yr = (k.e ->> 'year')::integer)) x $$;

DROP TABLE IF EXISTS dm_row;
CREATE TEMP TABLE dm_row AS
SELECT dc.country_id, dc.dimension_country_id, dc.country_name, dc.country_name_es, dc.country_name_en,
       dc.iso_alpha2, dc.iso_alpha3, dr.continent_id AS dimension_continent_id,
       fi.date_starting_creating_notes, fi.date_starting_solving_notes,
       fi.first_open_note_id, fi.first_commented_note_id, fi.first_closed_note_id, fi.first_reopened_note_id,
       fi.latest_open_note_id, fi.latest_commented_note_id, fi.latest_closed_note_id, fi.latest_reopened_note_id,
       rc.last_year_activity,
       da.dates_most_open, da.dates_most_closed,
       coalesce(ht.hashtags, '[]') AS hashtags,
       coalesce(ht.hashtags_opening, '[]') AS hashtags_opening,
       coalesce(ht.hashtags_resolution, '[]') AS hashtags_resolution,
       coalesce(ht.hashtags_comments, '[]') AS hashtags_comments,
       ht.favorite_opening_hashtag::varchar(50) AS top_opening_hashtag,
       ht.favorite_resolution_hashtag::varchar(50) AS top_resolution_hashtag,
       coalesce(ht.opening_hashtag_count, 0) AS opening_hashtag_count,
       coalesce(ht.resolution_hashtag_count, 0) AS resolution_hashtag_count,
       rk.open_all AS users_open_notes, rk.close_all AS users_solving_notes,
       rc.users_open_notes_current_month, rc.users_solving_notes_current_month,
       rc.users_open_notes_current_day, rc.users_solving_notes_current_day,
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
       -- The years recomputed, and the other years' lists of the row (countries/rank_years.sql).
       coalesce(rk.open_by_year, '{}') || pg_temp.dm_kept_years(dc.country_id, cur.ranking_users_opening_by_year)
         AS ranking_users_opening_by_year,
       coalesce(rk.close_by_year, '{}') || pg_temp.dm_kept_years(dc.country_id, cur.ranking_users_closing_by_year)
         AS ranking_users_closing_by_year,
       coalesce(rs.avg_days_to_resolution, 0)::numeric(10,2) AS avg_days_to_resolution,
       coalesce(rs.median_days_to_resolution, 0)::numeric(10,2) AS median_days_to_resolution,
       coalesce(rs.notes_resolved_count, 0) AS notes_resolved_count,
       coalesce(rs.still_open, 0) AS notes_still_open_count,
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
       pg_temp.dm_kept_year_items(dc.country_id, ap.application_usage_trends, cur.application_usage_trends)
         AS application_usage_trends,
       pg_temp.dm_kept_year_items(dc.country_id, ap.version_adoption_rates, cur.version_adoption_rates)
         AS version_adoption_rates,
       coalesce(pt.note_quality_poor_count, 0) AS note_quality_poor_count,
       coalesce(pt.note_quality_fair_count, 0) AS note_quality_fair_count,
       coalesce(pt.note_quality_good_count, 0) AS note_quality_good_count,
       coalesce(pt.note_quality_complex_count, 0) AS note_quality_complex_count,
       coalesce(pt.note_quality_treatise_count, 0) AS note_quality_treatise_count,
       pt.peak_day_notes_created, pt.peak_day_notes_created_count,
       pt.peak_hour_notes_created, pt.peak_hour_notes_created_count,
       coalesce(ex.open_notes_by_year, '{}') AS open_notes_by_year,
       coalesce(ex.longest_resolution_notes, '[]') AS longest_resolution_notes,
       h.last_year AS last_year_processed
FROM dwh.dimension_countries dc
JOIN dm_scope s ON s.id = dc.country_id
JOIN dm_row_recent rc ON rc.country_id = dc.country_id
LEFT JOIN dwh.dimension_regions dr ON dr.dimension_region_id = dc.region_id
LEFT JOIN dm_firsts fi ON fi.ek = dc.country_id
LEFT JOIN dm_history h ON h.ek = dc.country_id
LEFT JOIN dm_dates da ON da.ek = dc.country_id
LEFT JOIN dm_hashtags ht ON ht.ek = dc.country_id
LEFT JOIN dm_rankings rk ON rk.ek = dc.country_id
LEFT JOIN dm_working_hours wh ON wh.ek = dc.country_id
LEFT JOIN dm_resolution rs ON rs.ek = dc.country_id
LEFT JOIN dm_applications ap ON ap.ek = dc.country_id
LEFT JOIN dm_comments cm ON cm.ek = dc.country_id
LEFT JOIN dm_patterns pt ON pt.ek = dc.country_id
LEFT JOIN dm_country_extras ex ON ex.ek = dc.country_id
LEFT JOIN dwh.datamartcountries cur ON cur.country_id = dc.country_id;
