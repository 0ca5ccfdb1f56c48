-- User profile rows changed since they were last exported (dwh.json_export_pending, 0031), in
-- the form of json/user-profiles-all.sql (the row's columns, then the contributor type's names).
-- $1: lowest published user_id.
-- Every pending row is exported in the same run, so their order does not matter to the
-- tree. It matters to the time: the newest users first (the queue's key backwards, no sort, so
-- the rows still stream through the cursor while the exporter works on the previous batch).
-- The oldest accounts have the longest histories and the largest rows (toasted, decompressed
-- and printed by the server): first, as the queue's key gave them, the first 500 of ≈ 2 000
-- at 1 M notes took the server 180–260 ms and the exporter waited; last, 50 ms, and the heavy
-- tail is produced while the exporter works on the earlier batches.
SELECT u.*,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.json_export_pending p
JOIN dwh.datamartusers u ON u.user_id = p.id
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE p.datamart = 'users' AND p.id >= $1
ORDER BY p.id DESC
