-- Every hashtag occurrence of the delta, in order (dwh-etl §2.6): '#' then one or more word
-- characters — Unicode letters, digits, underscore. The ICU collation makes \w Unicode-aware
-- whatever the database's locale (under "C", \w is ASCII only and '#飲水地圖' would be lost).
-- Into a work table (emptied by stage/truncate): a parallel first load reads it from several connections.
INSERT INTO staging.etl_hashtags (note_id, sequence_action, event, position, tag)
SELECT a.note_id, a.sequence_action, a.event, m.ord::smallint AS position, m.match[1] AS tag
FROM staging.etl_actions a,
     regexp_matches(a.body COLLATE "und-x-icu", '#(\w+)', 'g') WITH ORDINALITY AS m(match, ord)
WHERE strpos(a.body, '#') > 0;
