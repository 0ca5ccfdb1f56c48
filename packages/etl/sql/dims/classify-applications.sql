-- The application that created each note, from its opening comment (dwh-etl §2.5): the first
-- matching pattern by explicit priority (specific patterns first; the original had no ORDER
-- BY). Version: the first \d+.\d+(.\d+)? of the text when an application matched (a crude
-- rule, kept: it also matches "1.5 km").
INSERT INTO staging.etl_apps (note_id, sequence_action, dimension_application_id, version)
SELECT a.note_id, a.sequence_action, app.dimension_application_id,
       left(substring(a.body from '\d+\.\d+(?:\.\d+)?'), 32) AS version
FROM staging.etl_actions a
CROSS JOIN LATERAL (
  SELECT p.dimension_application_id
  FROM dwh.dimension_applications p
  WHERE p.active AND p.pattern IS NOT NULL
    -- A pattern without SIMILAR TO operators means the same as LIKE, which is much cheaper.
    AND CASE WHEN p.pattern ~ '[|()\[\]*+?{}]' THEN a.body SIMILAR TO p.pattern ELSE a.body LIKE p.pattern END
  ORDER BY p.priority
  LIMIT 1
) app
WHERE a.event = 'opened' AND a.body <> '';
