-- Family "comments": comment actions only — average length, how many carry a link or a
-- mention (count and % of comments), comments per commented note.
DROP TABLE IF EXISTS dm_comments;
CREATE TEMP TABLE dm_comments AS
SELECT ek,
       round(avg(clen), 2) AS avg_comment_length,
       count(*) FILTER (WHERE url)::integer AS comments_with_url_count,
       pg_temp.dm_pct(count(*) FILTER (WHERE url), count(*)) AS comments_with_url_pct,
       count(*) FILTER (WHERE men)::integer AS comments_with_mention_count,
       pg_temp.dm_pct(count(*) FILTER (WHERE men), count(*)) AS comments_with_mention_pct,
       round(count(*)::numeric / count(DISTINCT id_note), 2) AS avg_comments_per_note
FROM dm_f
WHERE ty = 'commented'
GROUP BY ek;
