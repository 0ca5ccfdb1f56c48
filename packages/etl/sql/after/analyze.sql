ANALYZE dwh.facts, dwh.fact_hashtags, dwh.note_current_status, dwh.dimension_users, dwh.dimension_countries;
