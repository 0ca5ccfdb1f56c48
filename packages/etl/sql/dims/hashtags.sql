INSERT INTO dwh.dimension_hashtags (description)
SELECT DISTINCT tag FROM staging.etl_hashtags
ON CONFLICT (description) DO NOTHING;
