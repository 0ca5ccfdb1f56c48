-- One definition per concept, shared by the users, countries and global datamarts
-- (docs/metrics.md). Created as session-temporary SQL functions at the start of every build,
-- so every family file calls the same code; simple SQL functions are inlined by the planner.
--
-- Lists and objects with many items are aggregated as json (text appended per item) and cast
-- to jsonb once per value: jsonb_agg / jsonb_object_agg re-encode every item into the binary
-- form, and nested ones again at each level. Same jsonb values (the cast normalizes key order
-- and numbers alike); at 1 M notes the users' rankings took 8.7 instead of 9.6 s, working hours
-- 3.4 instead of 4.2 s.
--
-- Calendar fields of every action are taken with date_part (double precision), not extract
-- (numeric since PostgreSQL 14, several times slower per row): same values once cast or
-- compared; at 1 M notes the users' patterns took 3.7 instead of 4.3 s, resolution 7.9
-- instead of 8.7 s.

-- A close whose own comment is not empty (§13 defect 3: one definition instead of three).
CREATE OR REPLACE FUNCTION pg_temp.dm_closed_with_comment(action text, comment_length integer)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT action = 'closed' AND coalesce(comment_length, 0) > 0 $$;

-- Activity score of a day with n actions (§2.1).
CREATE OR REPLACE FUNCTION pg_temp.dm_activity_score(n bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN n <= 0 THEN '0' WHEN n <= 2 THEN '1' WHEN n <= 6 THEN '2' WHEN n <= 14 THEN '3'
               WHEN n <= 30 THEN '4' WHEN n <= 62 THEN '5' WHEN n <= 126 THEN '6' WHEN n <= 254 THEN '7'
               WHEN n <= 510 THEN '8' ELSE '9' END $$;

-- Percentage with 2 decimals, 0 when the total is 0.
CREATE OR REPLACE FUNCTION pg_temp.dm_pct(part numeric, total numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN coalesce(total, 0) > 0 THEN round(coalesce(part, 0) * 100 / total, 2) ELSE 0 END $$;

-- Application classes (§2.4, the users/countries rule, also used for global).
CREATE OR REPLACE FUNCTION pg_temp.dm_is_mobile(platform text, category text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(platform IN ('android', 'ios') OR platform LIKE 'mobile%' OR category = 'mobile', false) $$;
CREATE OR REPLACE FUNCTION pg_temp.dm_is_desktop(platform text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(platform IN ('web', 'desktop', 'windows', 'linux', 'macos'), false) $$;

-- Note-age bucket of an open note (§2.5) and its natural order (the original sorted the labels
-- as text: 0-7, 31-90, 8-30, 90+).
CREATE OR REPLACE FUNCTION pg_temp.dm_age_bucket(age integer)
RETURNS smallint LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN age <= 7 THEN 1 WHEN age <= 30 THEN 2 WHEN age <= 90 THEN 3 ELSE 4 END::smallint $$;
CREATE OR REPLACE FUNCTION pg_temp.dm_age_label(bucket smallint)
RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT (ARRAY['0-7 days', '8-30 days', '31-90 days', '90+ days'])[bucket] $$;

-- The (time, note) key of an action, for first and latest picks (chronological, ties by note
-- id): the second it happened in (floor; OSM times are whole seconds) * 2^31 + the note id
-- (positive). min/max of one bigint instead of a 2-element array per action (users' firsts
-- 3.2 → 2.3 s at 1 M notes); date_part rather than extract, whose numeric result cost the
-- countries' firsts 2.2 instead of 1.7 s. Facts are in UTC.
CREATE OR REPLACE FUNCTION pg_temp.dm_action_key(at timestamp, id_note integer)
RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT floor(date_part('epoch', at))::bigint * 2147483648 + id_note $$;
CREATE OR REPLACE FUNCTION pg_temp.dm_key_note(key bigint)
RETURNS integer LANGUAGE sql IMMUTABLE AS
$$ SELECT (key % 2147483648)::integer $$;
CREATE OR REPLACE FUNCTION pg_temp.dm_key_day(key bigint)
RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT (to_timestamp(key / 2147483648) AT TIME ZONE 'UTC')::date $$;

-- Countries whose user rankings show a user renamed since `since` (countries/scope_touched.sql,
-- countries/rank_years.sql): a current dimension row newer than that, with an older name row,
-- of a user who opened or closed notes there.
CREATE OR REPLACE FUNCTION pg_temp.dm_countries_with_renamed_users(since timestamp)
RETURNS SETOF integer LANGUAGE sql STABLE AS
$$ SELECT DISTINCT dc.country_id
   FROM dwh.dimension_users cur
   JOIN dwh.dimension_users dim ON dim.user_id = cur.user_id
   JOIN dwh.facts f ON f.action_dimension_id_user = dim.dimension_user_id AND f.action_comment IN ('opened', 'closed')
   JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
   WHERE cur.is_current AND cur.valid_from > since AND cur.user_id <> -1
     AND EXISTS (SELECT 1 FROM dwh.dimension_users old WHERE old.user_id = cur.user_id AND NOT old.is_current) $$;
