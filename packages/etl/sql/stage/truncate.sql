TRUNCATE staging.etl_notes, staging.etl_actions, staging.etl_users, staging.etl_countries,
  staging.etl_notes_raw, staging.etl_actions_raw, staging.etl_users_raw, staging.etl_countries_raw,
  staging.etl_hashtags, staging.etl_apps, staging.etl_automation;
