-- Countries: new ids inserted with ISO codes and region from the reference data (unknown ids:
-- region 'Undefined', no codes); changed names updated and flagged modified. Our own -1 row
-- ("Unknown - International waters") is never overwritten by a base row.
INSERT INTO dwh.dimension_countries AS d
  (country_id, country_name, country_name_es, country_name_en, iso_alpha2, iso_alpha3, region_id, modified)
SELECT c.country_id, c.country_name, c.country_name_es, c.country_name_en, i.iso_alpha2, i.iso_alpha3,
       coalesce(i.region_id, (SELECT dimension_region_id FROM dwh.dimension_regions WHERE region_name_en = 'Undefined')),
       true
FROM staging.etl_countries c
LEFT JOIN dwh.iso_country_codes i ON i.osm_country_id = c.country_id
WHERE c.country_id <> -1
ON CONFLICT (country_id) DO UPDATE
SET country_name = EXCLUDED.country_name, country_name_es = EXCLUDED.country_name_es,
    country_name_en = EXCLUDED.country_name_en, modified = true
WHERE (d.country_name, d.country_name_es, d.country_name_en)
      IS DISTINCT FROM (EXCLUDED.country_name, EXCLUDED.country_name_es, EXCLUDED.country_name_en);
