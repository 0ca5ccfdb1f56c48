-- public.countries from the built-in reference ($1: JSON array of [relation id, name, name:es,
-- name:en, iso]), for loads that assign countries offline. Only changed rows are written, so a
-- re-run touches nothing. One JSON text parameter (typed text, so the driver sends it as is)
-- instead of four arrays: no array-literal quoting.
INSERT INTO public.countries (country_id, country_name, country_name_es, country_name_en)
SELECT (r->>0)::int, r->>1, r->>2, r->>3
FROM jsonb_array_elements($1::text::jsonb) AS r
ON CONFLICT (country_id) DO UPDATE
SET country_name = EXCLUDED.country_name, country_name_es = EXCLUDED.country_name_es,
    country_name_en = EXCLUDED.country_name_en
WHERE (countries.country_name, countries.country_name_es, countries.country_name_en)
      IS DISTINCT FROM (EXCLUDED.country_name, EXCLUDED.country_name_es, EXCLUDED.country_name_en);
