ANALYZE dwh.facts, dwh.fact_hashtags;
