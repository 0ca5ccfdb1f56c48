-- Empties the global state (migration 0032) before it is rebuilt from every fact.
TRUNCATE dwh.datamart_global_actions, dwh.datamart_global_resolution_days, dwh.datamart_global_countries,
         dwh.datamart_global_applications;
