-- Family "applications": applications that created the entity's notes (opening actions only):
-- [{app_id, app_name, count}] by count descending then id; the most used one; how many distinct
-- mobile / desktop applications (concepts.sql); per-year usage with percentages of the year's
-- openings that have an application, and version adoption per year: of the years not in
-- dm_years_kept (a touched build of the countries keeps those from the rows, countries/row.sql).
DROP TABLE IF EXISTS dm_applications;
CREATE TEMP TABLE dm_applications AS
-- Openings per (entity, year, application, version): dm_v_openings (users/counts.sql,
-- countries/counts.sql).
WITH o AS MATERIALIZED (
  SELECT ek, yr, app, ver, n FROM dm_v_openings
), computed AS NOT MATERIALIZED (
  -- The openings of the years this build computes, in each of its three readers: NOT IN a
  -- hashed list of the kept years. As NOT EXISTS, each reader sorted all openings for a merge
  -- anti join (a touched build of the countries at 1 M notes: 106 000 rows, 0.08 s each).
  SELECT * FROM o WHERE (ek, yr) NOT IN (SELECT k.ek, k.yr FROM dm_years_kept k)
), apps AS (
  SELECT a.ek, a.app, a.n, da.application_name, da.platform, da.category
  FROM (SELECT ek, app, sum(n)::integer AS n FROM o WHERE app IS NOT NULL GROUP BY ek, app) a
  JOIN dwh.dimension_applications da ON da.dimension_application_id = a.app
), used AS (
  -- Here and below, each list's JSON text is assembled from its items' text and parsed once
  -- (as shared/rankings.sql); to_json escapes the names as json_build_object does.
  SELECT ek,
         ('[' || string_agg('{"app_id":' || app || ',"app_name":' || coalesce(to_json(application_name)::text, 'null')
                            || ',"count":' || n || '}', ',' ORDER BY n DESC, app) || ']')::jsonb AS applications_used,
         (array_agg(app ORDER BY n DESC, app))[1] AS most_used_application_id,
         count(*) FILTER (WHERE pg_temp.dm_is_mobile(platform, category))::integer AS mobile_apps_count,
         count(*) FILTER (WHERE pg_temp.dm_is_desktop(platform))::integer AS desktop_apps_count,
         coalesce(sum(n) FILTER (WHERE pg_temp.dm_is_mobile(platform, category)), 0)::integer AS mobile_notes,
         coalesce(sum(n) FILTER (WHERE pg_temp.dm_is_desktop(platform)), 0)::integer AS desktop_notes
  FROM apps GROUP BY ek
), years AS (
  SELECT DISTINCT ek, yr FROM computed
), year_apps AS (
  SELECT y.ek, y.yr,
         '[' || string_agg('{"app_id":' || y.app || ',"app_name":' || coalesce(to_json(da.application_name)::text, 'null')
                           || ',"count":' || y.n || ',"pct":' || pg_temp.dm_pct(y.n, y.total) || '}', ',' ORDER BY y.n DESC, y.app)
         || ']' AS applications
  FROM (SELECT ek, yr, app, sum(n)::integer AS n, sum(sum(n)) OVER (PARTITION BY ek, yr) AS total
        FROM computed WHERE app IS NOT NULL
        GROUP BY ek, yr, app) y
  JOIN dwh.dimension_applications da ON da.dimension_application_id = y.app
  GROUP BY y.ek, y.yr
), year_versions AS (
  SELECT v.ek, v.yr,
         '[' || string_agg('{"version":' || coalesce(to_json(dv.version)::text, 'null')
                           || ',"app_id":' || coalesce(dv.dimension_application_id::text, 'null') || ',"count":' || v.n
                           || ',"adoption_rate":' || pg_temp.dm_pct(v.n, v.total) || '}', ',' ORDER BY v.n DESC, v.ver)
         || ']' AS versions
  FROM (SELECT ek, yr, ver, sum(n)::integer AS n, sum(sum(n)) OVER (PARTITION BY ek, yr) AS total
        FROM computed WHERE ver IS NOT NULL
        GROUP BY ek, yr, ver) v
  JOIN dwh.dimension_application_versions dv ON dv.dimension_application_version_id = v.ver
  GROUP BY v.ek, v.yr
), trends AS (
  SELECT y.ek,
         ('[' || string_agg('{"year":' || y.yr || ',"applications":' || coalesce(ya.applications, 'null') || '}', ',' ORDER BY y.yr)
          || ']')::jsonb AS application_usage_trends,
         coalesce(('[' || string_agg('{"year":' || y.yr || ',"versions":' || yv.versions || '}', ',' ORDER BY y.yr)
                          FILTER (WHERE yv.versions IS NOT NULL) || ']')::jsonb, '[]') AS version_adoption_rates
  FROM years y
  LEFT JOIN year_apps ya ON ya.ek = y.ek AND ya.yr = y.yr
  LEFT JOIN year_versions yv ON yv.ek = y.ek AND yv.yr = y.yr
  GROUP BY y.ek
)
SELECT e.ek, u.applications_used, u.most_used_application_id, u.mobile_apps_count, u.desktop_apps_count,
       u.mobile_notes, u.desktop_notes, t.application_usage_trends, t.version_adoption_rates
FROM (SELECT DISTINCT ek FROM o) e LEFT JOIN trends t USING (ek) LEFT JOIN used u USING (ek);
