INSERT INTO staging.etl_users (user_id, username) SELECT user_id::integer, username FROM staging.etl_users_raw;
