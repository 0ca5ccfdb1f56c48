-- After a full export deleted every pending row (235 000 at 1 M notes): the dead versions are
-- vacuumed now rather than by autovacuum while the next incremental exports run, and the
-- planner learns the queue is small again.
VACUUM (ANALYZE) dwh.json_export_pending
