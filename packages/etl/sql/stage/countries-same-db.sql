INSERT INTO staging.etl_countries (country_id, country_name, country_name_es, country_name_en)
SELECT country_id, country_name, country_name_es, country_name_en FROM public.countries;
