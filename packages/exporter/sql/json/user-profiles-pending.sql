-- User profile rows changed since they were last exported (dwh.json_export_pending, 0031),
-- stalest first. $1: lowest published user_id.
SELECT row_to_json(u) AS row,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.json_export_pending p
JOIN dwh.datamartusers u ON u.user_id = p.id
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE p.datamart = 'users' AND p.id >= $1
ORDER BY p.updated_at, p.id
