-- Every published user profile row (full export): the row's columns as they are, then the
-- contributor type's names (src/database/_row-cells.ts reads them in this order and builds the
-- object row_to_json(u) would give). Not row_to_json(u): at 1 M notes (235 000 rows of 101
-- columns) it cost the server 17.7 s against 6.8 s for the plain text output, and sent 77 %
-- more bytes. Not to_jsonb(u) either (30 s: a jsonb of each wide row, keys sorted, copied twice).
-- No ORDER BY: a sequential scan streams through the cursor without a sort of wide rows.
-- $1: lowest published user_id (1: Anonymous -1 and id 0 are never published).
SELECT u.*,
       ct.contributor_type_name AS type_name,
       ct.contributor_type_name_en AS type_name_en
FROM dwh.datamartusers u
LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = u.id_contributor_type
WHERE u.user_id >= $1
