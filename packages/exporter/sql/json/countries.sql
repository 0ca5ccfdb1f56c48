-- Every country row (a few hundred): the index needs all of them in every export, the profile
-- only when pending (updated_at > exported_at) or in a full export. -1 (international waters)
-- is published like any country, as the original did (countries/-1.json).
-- row_to_json, as user-profiles-all.sql (the extra exported_at and json_exported are ignored).
SELECT row_to_json(c) AS row, NOT c.json_exported AS pending
FROM dwh.datamartcountries c
ORDER BY c.country_id
