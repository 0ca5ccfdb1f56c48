-- After a full export marked every user row exported (235 000 row versions at 1 M notes):
-- - the planner's statistics still describe the rows as pending (all of them, after
--   `datamarts --all`) until autoanalyze comes by, and the next incremental export's pending
--   count was then planned as a scan of the whole wide table (0.36 s on a copy at 1 M notes,
--   instead of milliseconds through the partial index);
-- - the dead versions are vacuumed now, in the full export, rather than by autovacuum while
--   the next incremental exports run (the partial index otherwise still holds them all).
-- ANALYZE only of the columns those queries filter on: the whole table's took 3.6 s.
VACUUM (ANALYZE) dwh.datamartusers (json_exported, updated_at, user_id)
