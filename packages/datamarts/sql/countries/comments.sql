-- Family "comments" for the countries (shared/comments.sql), from the comment measures and the
-- distinct commented notes in the countries' state (migration 0033).
DROP TABLE IF EXISTS dm_comments;
CREATE TEMP TABLE dm_comments AS
SELECT s.country_id AS ek,
       round(s.comment_length_sum::numeric / nullif(s.comment_length_n, 0), 2) AS avg_comment_length,
       s.with_url::integer AS comments_with_url_count,
       pg_temp.dm_pct(s.with_url, s.actions) AS comments_with_url_pct,
       s.with_mention::integer AS comments_with_mention_count,
       pg_temp.dm_pct(s.with_mention, s.actions) AS comments_with_mention_pct,
       round(s.actions::numeric / s.notes, 2) AS avg_comments_per_note
FROM dwh.datamart_country_actions s JOIN dm_scope e ON e.id = s.country_id
WHERE s.action_type = 'commented';
