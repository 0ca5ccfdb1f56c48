-- Geography dimensions: continents → regions → countries, and the ISO reference table.
CREATE TABLE dwh.dimension_continents (
  dimension_continent_id integer     NOT NULL PRIMARY KEY,
  continent_name_es      varchar(32) NOT NULL,
  continent_name_en      varchar(32) NOT NULL UNIQUE
);
INSERT INTO dwh.dimension_continents VALUES
  (1, 'África', 'Africa'), (2, 'América', 'Americas'), (3, 'Antártida', 'Antarctica'),
  (4, 'Asia', 'Asia'), (5, 'Europa', 'Europe'), (6, 'Oceanía', 'Oceania');

CREATE TABLE dwh.dimension_regions (
  dimension_region_id integer      NOT NULL PRIMARY KEY,
  region_name_es      varchar(80)  NOT NULL,
  region_name_en      varchar(80)  NOT NULL UNIQUE,
  continent_id        integer      REFERENCES dwh.dimension_continents
);
INSERT INTO dwh.dimension_regions VALUES
  (1, 'Indefinida', 'Undefined', NULL),
  (2, 'Norteamérica', 'North America', 2),
  (3, 'Centroamérica', 'Central America', 2),
  (4, 'Antillas', 'Antilles', 2),
  (5, 'Sudamérica', 'South America', 2),
  (6, 'Europa Occidental', 'Western Europe', 5),
  (7, 'Europa Oriental', 'Eastern Europe', 5),
  (8, 'Cáucaso', 'Caucasus', 5),
  (9, 'Siberia', 'Siberia', 5),
  (10, 'Asia Central', 'Central Asia', 4),
  (11, 'Asia Oriental', 'East Asia', 4),
  (12, 'África del Norte', 'North Africa', 1),
  (13, 'África subsahariana', 'Sub-Saharan Africa', 1),
  (14, 'Medio Oriente', 'Middle East', 4),
  (15, 'Indostán', 'Indian subcontinent', 4),
  (16, 'Indochina', 'Mainland Southeast Asia', 4),
  (17, 'Insulindia', 'Malay Archipelago', 4),
  (18, 'Islas del Pacífico (Melanesia, Micronesia y Polinesia)', 'Pacific Islands (Melanesia, Micronesia and Polynesia)', 6),
  (19, 'Australia', 'Australia', 6),
  (20, 'Antártida', 'Antarctica', 3);

CREATE TABLE dwh.dimension_countries (
  dimension_country_id serial       PRIMARY KEY,
  country_id           integer      NOT NULL UNIQUE,
  country_name         varchar(100),
  country_name_es      varchar(100),
  country_name_en      varchar(100),
  iso_alpha2           varchar(2),
  iso_alpha3           varchar(3),
  region_id            integer      REFERENCES dwh.dimension_regions,
  modified             boolean      NOT NULL DEFAULT true
);
COMMENT ON COLUMN dwh.dimension_countries.modified IS
  'Set by the ETL when facts of the country were added or its names changed; cleared by the datamart builder.';

-- Fallback for notes with no or an unknown country (the original misspelled it 'Unkown').
INSERT INTO dwh.dimension_countries (country_id, country_name, country_name_es, country_name_en, region_id, modified)
VALUES (-1, 'Unknown - International waters', 'Desconocido - Aguas internacionales',
        'Unknown - International waters', 1, false);

-- OSM relation id → ISO codes and region, filled from the package's reference data (0005).
-- region_id is ours (the reference file carries it); the ETL copies codes and region into
-- dimension_countries, unknown ids get region 'Undefined' and NULL codes.
CREATE TABLE dwh.iso_country_codes (
  osm_country_id  integer      NOT NULL PRIMARY KEY,
  iso_alpha2      varchar(2),
  iso_alpha3      varchar(3),
  country_name_en varchar(100),
  region_id       integer      NOT NULL REFERENCES dwh.dimension_regions
);
