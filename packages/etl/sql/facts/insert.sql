-- New facts of the run, one per delta action (dwh-etl §3), with their hashtag occurrences
-- (§2.6) in the same statement. Insert-time columns are computed here; note-level ones come
-- from the etl_note_level view. fact_id is chronological within a load (within each note
-- range of a parallel one): (action_at, note, sequence). Date ids are yyyymmdd and
-- hour-of-week ids isodow*100+hour, by arithmetic.
-- $1, $2: the range of note ids to insert (a parallel first load runs one range per
-- connection: every action of a note is in one range, so the per-note windows stay whole).
WITH anonymous AS (
  SELECT dimension_user_id FROM dwh.dimension_users WHERE user_id = -1 AND is_current
), unknown_country AS (
  SELECT dimension_country_id FROM dwh.dimension_countries WHERE country_id = -1
), timezones AS (
  -- The 15° bands UTC-12 … UTC+14 by their offset in hours.
  SELECT utc_offset_minutes / 60 AS offset_hours, dimension_timezone_id
  FROM dwh.dimension_timezones WHERE tz_name = 'UTC' OR tz_name ~ '^UTC[+-][0-9]+$'
), opener AS (
  -- The current user row of each note's (first) opened action, in the delta or already loaded.
  SELECT DISTINCT ON (note_id) note_id, dimension_user_id
  FROM (
    SELECT a.note_id, a.sequence_action, coalesce(u.dimension_user_id, (SELECT dimension_user_id FROM anonymous)) AS dimension_user_id
    FROM staging.etl_actions a
    LEFT JOIN dwh.dimension_users u ON u.user_id = a.id_user AND u.is_current
    WHERE a.event = 'opened' AND a.note_id BETWEEN $1 AND $2
    UNION ALL
    SELECT f.id_note, f.sequence_action, f.action_dimension_id_user
    FROM dwh.facts f
    WHERE f.action_comment = 'opened'
      AND f.id_note = ANY (ARRAY(SELECT note_id FROM staging.etl_notes WHERE note_id BETWEEN $1 AND $2))
  ) o
  ORDER BY note_id, sequence_action
), tag_counts AS (
  SELECT note_id, sequence_action, count(*)::integer AS n FROM staging.etl_hashtags
  WHERE note_id BETWEEN $1 AND $2 GROUP BY note_id, sequence_action
), placed AS (
  SELECT v.*,
         -- Local time: 15° bands from the longitude, clamped to UTC-12 … UTC+14.
         coalesce(greatest(-12, least(14, round(v.longitude / 15))), 0)::integer AS offset_hours
  FROM etl_note_level v
  -- On the windows' partition key: the planner pushes the range down to the staged rows.
  WHERE NOT v.loaded AND v.note_id BETWEEN $1 AND $2
  -- OFFSET 0, here and in delta: subqueries the planner keeps. It would copy a flattened
  -- one's expressions into every reference and evaluate them again each time (the numeric
  -- offset was computed seven times a row: seconds at 1 M notes).
  OFFSET 0
), delta AS (
  SELECT p.*,
         (date_part('year', p.action_at) * 10000 + date_part('month', p.action_at) * 100 + date_part('day', p.action_at))::integer AS action_date_id,
         (date_part('isodow', p.action_at) * 100 + date_part('hour', p.action_at))::smallint AS action_tow_id,
         (date_part('year', p.note_created_at) * 10000 + date_part('month', p.note_created_at) * 100 + date_part('day', p.note_created_at))::integer AS opened_date_id,
         (date_part('isodow', p.note_created_at) * 100 + date_part('hour', p.note_created_at))::smallint AS opened_tow_id,
         p.action_at + make_interval(hours => p.offset_hours) AS local_at,
         date_part('month', p.action_at)::integer AS month
  FROM placed p
  OFFSET 0
), inserted AS (
  INSERT INTO dwh.facts (
    id_note, sequence_action, dimension_id_country, action_at, action_comment,
    action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
    opened_dimension_id_date, opened_dimension_id_hour_of_week, opened_dimension_id_user,
    closed_dimension_id_date, closed_dimension_id_hour_of_week, closed_dimension_id_user,
    dimension_application_creation, dimension_application_version,
    recent_opened_dimension_id_date, days_to_resolution, days_to_resolution_active, days_to_resolution_from_reopen,
    hashtag_number, action_timezone_id, local_action_dimension_id_date, local_action_dimension_id_hour_of_week,
    action_dimension_id_season, comment_length, has_url, has_mention,
    total_comments_on_note, total_reopenings_count, total_actions_on_note, dimension_id_automation)
  SELECT d.note_id, d.sequence_action,
         coalesce(c.dimension_country_id, (SELECT dimension_country_id FROM unknown_country)),
         d.action_at, d.event::public.note_event_enum,
         d.action_date_id, d.action_tow_id,
         coalesce(u.dimension_user_id, (SELECT dimension_user_id FROM anonymous)),
         d.opened_date_id, d.opened_tow_id, o.dimension_user_id,
         CASE WHEN d.event = 'closed' THEN d.action_date_id END,
         CASE WHEN d.event = 'closed' THEN d.action_tow_id END,
         CASE WHEN d.event = 'closed' THEN coalesce(u.dimension_user_id, (SELECT dimension_user_id FROM anonymous)) END,
         app.dimension_application_id, ver.dimension_application_version_id,
         d.recent_opened_dimension_id_date, d.days_to_resolution, d.days_to_resolution_active, d.days_to_resolution_from_reopen,
         coalesce(tc.n, 0), tz.dimension_timezone_id,
         (date_part('year', d.local_at) * 10000 + date_part('month', d.local_at) * 100 + date_part('day', d.local_at))::integer,
         (date_part('isodow', d.local_at) * 100 + date_part('hour', d.local_at))::smallint,
         CASE WHEN d.latitude IS NULL OR d.latitude BETWEEN -10 AND 10 THEN 0
              WHEN d.latitude > 10 THEN CASE WHEN d.month IN (3, 4, 5) THEN 1 WHEN d.month IN (6, 7, 8) THEN 2
                                             WHEN d.month IN (9, 10, 11) THEN 3 ELSE 4 END
              ELSE CASE WHEN d.month IN (3, 4, 5) THEN 4 WHEN d.month IN (6, 7, 8) THEN 3
                        WHEN d.month IN (9, 10, 11) THEN 2 ELSE 1 END
         END,
         coalesce(char_length(d.body), 0),
         -- strpos first: most bodies have neither, and skip the regex.
         coalesce(strpos(d.body, '://') > 0 AND d.body ~ 'https?://', false),
         coalesce(strpos(d.body, '@') > 0 AND d.body COLLATE "und-x-icu" ~ '@\w+', false),
         d.total_comments_on_note, d.total_reopenings_count, d.total_actions_on_note, am.level
  FROM delta d
  LEFT JOIN dwh.dimension_users u ON u.user_id = d.id_user AND u.is_current
  LEFT JOIN dwh.dimension_countries c ON c.country_id = d.id_country
  LEFT JOIN opener o ON o.note_id = d.note_id
  LEFT JOIN timezones tz ON tz.offset_hours = d.offset_hours
  LEFT JOIN (SELECT * FROM staging.etl_apps WHERE note_id BETWEEN $1 AND $2) app ON app.note_id = d.note_id AND app.sequence_action = d.sequence_action
  LEFT JOIN dwh.dimension_application_versions ver
    ON ver.dimension_application_id = app.dimension_application_id AND ver.version = app.version
  LEFT JOIN tag_counts tc ON tc.note_id = d.note_id AND tc.sequence_action = d.sequence_action
  LEFT JOIN staging.etl_automation am ON am.user_id = d.id_user
  ORDER BY d.action_at, d.note_id, d.sequence_action
  RETURNING fact_id, id_note, sequence_action, action_comment, hashtag_number
)
INSERT INTO dwh.fact_hashtags (fact_id, dimension_hashtag_id, position, used_in_action, is_opening_hashtag, is_resolution_hashtag)
SELECT i.fact_id, h.dimension_hashtag_id, t.position, i.action_comment,
       i.action_comment = 'opened', i.action_comment = 'closed'
FROM inserted i
JOIN staging.etl_hashtags t ON t.note_id = i.id_note AND t.sequence_action = i.sequence_action
JOIN dwh.dimension_hashtags h ON h.description = t.tag
-- Most actions have no hashtag: only those probe the join.
WHERE i.hashtag_number > 0;
