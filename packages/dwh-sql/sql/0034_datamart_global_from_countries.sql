-- The global datamart reads the countries' state (migration 0033) instead of its own
-- (migration 0032, dropped here). Global's state was a sum, minimum or maximum of the
-- countries' state, built from a second copy of every fact: about 16 s of each full build and
-- 7 s of each touched one at 1 M notes. Only its distinct notes cannot be summed over
-- countries (a note whose country changed has actions in two of them), so they stay, kept by
-- the countries' state merge.
--
-- The state now has one watermark, in the countries' row: state_fact_id, and state_etl_run_id,
-- the ETL run it was built up to (a first or full run after it means rebuilding it; before,
-- that was read from the datamart's own watermark, which `datamarts --only global` does not
-- move).

-- Per action type, the distinct notes with such an action (kept for 'closed' and 'commented').
CREATE TABLE dwh.datamart_global_notes (
  action_type text   NOT NULL PRIMARY KEY,
  notes       bigint NOT NULL
);

-- Carried over when both states were built up to the same fact; otherwise the countries' state
-- is rebuilt by the next build.
INSERT INTO dwh.datamart_global_notes (action_type, notes)
SELECT a.action_type, a.notes
FROM dwh.datamart_global_actions a
WHERE a.action_type IN ('closed', 'commented')
  AND (SELECT state_fact_id FROM dwh.datamart_state WHERE datamart = 'global')
      = (SELECT state_fact_id FROM dwh.datamart_state WHERE datamart = 'countries');

ALTER TABLE dwh.datamart_state ADD COLUMN state_etl_run_id bigint;
UPDATE dwh.datamart_state c
SET state_fact_id = CASE WHEN c.state_fact_id = g.state_fact_id THEN c.state_fact_id END,
    state_etl_run_id = CASE WHEN c.state_fact_id = g.state_fact_id THEN c.last_etl_run_id END
FROM dwh.datamart_state g
WHERE c.datamart = 'countries' AND g.datamart = 'global';
UPDATE dwh.datamart_state SET state_fact_id = NULL WHERE datamart IN ('users', 'global');

DROP TABLE dwh.datamart_global_actions, dwh.datamart_global_resolution_days,
           dwh.datamart_global_countries, dwh.datamart_global_applications;
