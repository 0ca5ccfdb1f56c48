-- Every published user profile row (full export). to_jsonb: numerics arrive as JSON numbers,
-- dates and timestamps as ISO strings (no process-time-zone parsing), jsonb nested as is.
-- No ORDER BY: a sequential scan streams through the cursor without a sort of wide rows.
-- $1: lowest published user_id (1: Anonymous -1 and id 0 are never published).
SELECT to_jsonb(u) - 'exported_at' - 'json_exported' AS row,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.datamartusers u
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE u.user_id >= $1
