INSERT INTO dwh.dimension_application_versions (dimension_application_id, version)
SELECT DISTINCT dimension_application_id, version FROM staging.etl_apps WHERE version IS NOT NULL
ON CONFLICT (dimension_application_id, version) DO NOTHING;
