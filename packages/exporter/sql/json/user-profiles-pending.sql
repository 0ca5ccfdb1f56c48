-- User profile rows changed since they were last exported (updated_at > exported_at, i.e.
-- NOT json_exported: partial index datamartusers_export_pending), stalest first.
-- $1: lowest published user_id.
SELECT row_to_json(u) AS row,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.datamartusers u
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE NOT u.json_exported AND u.user_id >= $1
ORDER BY u.updated_at, u.user_id
