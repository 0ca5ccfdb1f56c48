-- Every country row (a few hundred): the index needs all of them in every export, the profile
-- only when pending (dwh.json_export_pending, 0031) or in a full export. -1 (international
-- waters) is published like any country, as the original did (countries/-1.json).
-- row_to_json: a few hundred rows, its cost does not matter here (the user profiles are read as
-- plain columns instead, user-profiles-all.sql).
SELECT row_to_json(c) AS row,
       EXISTS (SELECT 1 FROM dwh.json_export_pending p WHERE p.datamart = 'countries' AND p.id = c.country_id) AS pending
FROM dwh.datamartcountries c
ORDER BY c.country_id
