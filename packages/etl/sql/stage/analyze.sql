ANALYZE staging.etl_notes, staging.etl_actions, staging.etl_users, staging.etl_countries;
