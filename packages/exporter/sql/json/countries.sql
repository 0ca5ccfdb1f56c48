-- Every country row (a few hundred): the index needs all of them in every export, the profile
-- only when pending (updated_at > exported_at) or in a full export. -1 (international waters)
-- is published like any country, as the original did (countries/-1.json).
SELECT to_jsonb(c) - 'exported_at' - 'json_exported' AS row, NOT c.json_exported AS pending
FROM dwh.datamartcountries c
ORDER BY c.country_id
