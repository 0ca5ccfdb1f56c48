-- The columns others' actions can change, for the passive users who opened a touched note
-- (users/scope_passive.sql, passive_scope.sql; now in dm_scope): resolution (rate, backlog
-- and open notes of the notes they opened; their closes did not change and give the same
-- averages), the open notes by age, and the mentions received with the collaboration score
-- (the other counts kept from the row). Each column as users/row.sql builds it.
DROP TABLE IF EXISTS dm_row_passive;
CREATE TEMP TABLE dm_row_passive AS
SELECT s.id AS user_id,
       coalesce(rs.avg_days_to_resolution, 0)::numeric(10,2) AS avg_days_to_resolution,
       coalesce(rs.median_days_to_resolution, 0)::numeric(10,2) AS median_days_to_resolution,
       coalesce(rs.notes_resolved_count, 0) AS notes_resolved_count,
       coalesce(rs.still_open, 0) AS notes_still_open_count,
       coalesce(rs.resolution_rate, 0)::numeric(5,2) AS resolution_rate,
       coalesce(rs.still_open, 0) AS active_notes_count,
       coalesce(rs.still_open, 0) AS notes_backlog_size,
       rs.resolution_by_year, rs.resolution_by_month,
       rc.notes_age_distribution,
       t.collaboration_patterns || jsonb_build_object(
         'mentions_received', coalesce(rv.mentions_received, 0),
         'collaboration_score', (t.collaboration_patterns ->> 'mentions_given')::numeric + coalesce(rv.mentions_received, 0)
                                + (t.collaboration_patterns ->> 'replies_count')::numeric) AS collaboration_patterns
FROM dm_scope s
JOIN dwh.datamartusers t ON t.user_id = s.id
LEFT JOIN dm_resolution rs ON rs.ek = s.id
LEFT JOIN dm_recent rc ON rc.ek = s.id
LEFT JOIN dm_received rv ON rv.ek = s.id;
