-- User profile rows changed since they were last exported (dwh.json_export_pending, 0031), in
-- the form of json/user-profiles-all.sql (the row's columns, then the contributor type's names).
-- $1: lowest published user_id.
-- No ORDER BY: every pending row is exported in the same run, so their order does not matter,
-- and a sort on top would make the server produce all the rows (≈ 2 000 wide rows at 1 M
-- notes) before sending the first one; without it the rows stream through the cursor while the
-- exporter works on the previous batch.
SELECT u.*,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.json_export_pending p
JOIN dwh.datamartusers u ON u.user_id = p.id
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE p.datamart = 'users' AND p.id >= $1
