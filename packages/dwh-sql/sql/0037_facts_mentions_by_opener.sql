-- Mentions received (datamarts users/mentions_received.sql): comments with a mention, by someone
-- else, on the notes a user opened. A touched build counts them for its active users and the
-- passive openers (≈ 1 500 and 500 at 1 M notes): through this index (the ≈ 100 k commented
-- facts with a mention, by the opener of their note) instead of a scan of every fact hashed
-- against their notes (1.4 + 0.9 s). Built and dropped with the other fact indexes (0011, 0028).
CREATE OR REPLACE FUNCTION dwh.fact_index_names() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['facts_note_sequence', 'facts_action_user', 'facts_opened_user', 'facts_closed_user',
               'facts_country', 'facts_action_at', 'facts_mentions_opener']
$$;

CREATE OR REPLACE FUNCTION dwh.create_fact_index(p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
BEGIN
  -- The definitions (and what reads each index) are those of 0011, and this file's.
  CASE p_name
    WHEN 'facts_note_sequence' THEN CREATE INDEX IF NOT EXISTS facts_note_sequence ON dwh.facts (id_note, sequence_action);
    WHEN 'facts_action_user' THEN CREATE INDEX IF NOT EXISTS facts_action_user ON dwh.facts (action_dimension_id_user);
    WHEN 'facts_opened_user' THEN CREATE INDEX IF NOT EXISTS facts_opened_user ON dwh.facts (opened_dimension_id_user);
    WHEN 'facts_closed_user' THEN CREATE INDEX IF NOT EXISTS facts_closed_user ON dwh.facts (closed_dimension_id_user)
                                    WHERE action_comment = 'closed';
    WHEN 'facts_country' THEN CREATE INDEX IF NOT EXISTS facts_country ON dwh.facts (dimension_id_country);
    WHEN 'facts_action_at' THEN CREATE INDEX IF NOT EXISTS facts_action_at ON dwh.facts (action_at);
    WHEN 'facts_mentions_opener' THEN CREATE INDEX IF NOT EXISTS facts_mentions_opener ON dwh.facts (opened_dimension_id_user)
                                        WHERE action_comment = 'commented' AND has_mention;
    ELSE RAISE EXCEPTION 'unknown fact index %', p_name USING HINT = 'See dwh.fact_index_names().';
  END CASE;
END
$$;

CREATE OR REPLACE FUNCTION dwh.drop_fact_indexes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, dwh AS $$
BEGIN
  DROP INDEX IF EXISTS dwh.facts_note_sequence, dwh.facts_action_user, dwh.facts_opened_user,
    dwh.facts_closed_user, dwh.facts_country, dwh.facts_action_at, dwh.facts_mentions_opener;
END
$$;

CREATE INDEX IF NOT EXISTS facts_mentions_opener ON dwh.facts (opened_dimension_id_user)
  WHERE action_comment = 'commented' AND has_mention;
