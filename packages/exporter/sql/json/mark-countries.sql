-- As mark-users.sql, for countries. $1 country ids, $2 their updated_at as read by the export.
UPDATE dwh.datamartcountries t SET exported_at = v.updated_at
FROM (SELECT id, stamp::timestamp AS updated_at
      FROM unnest(string_to_array($1, ',')::integer[], string_to_array($2, ',')) AS u(id, stamp)) AS v
WHERE t.country_id = v.id AND t.updated_at = v.updated_at AND t.exported_at IS DISTINCT FROM v.updated_at
