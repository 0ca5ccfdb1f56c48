-- Applications that create notes, detected from the opening comment with SIMILAR TO patterns.
-- priority: lower wins, more specific patterns first (the original scanned without ORDER BY,
-- so its generic '#organicmaps' row hid the platform rows). Unique, so detection is deterministic.
CREATE TABLE dwh.dimension_applications (
  dimension_application_id serial      PRIMARY KEY,
  application_name         varchar(64) NOT NULL,
  pattern                  varchar(64),
  pattern_type             varchar(16),
  platform                 varchar(16),
  vendor                   varchar(64),
  category                 varchar(32),
  active                   boolean     NOT NULL DEFAULT true,
  priority                 integer     NOT NULL UNIQUE
);

INSERT INTO dwh.dimension_applications (application_name, pattern, pattern_type, platform, priority) VALUES
  ('Unknown',          NULL,                                          NULL,      NULL,      10000),
  ('OrganicMaps',      '%#organicmaps android',                       'similar', 'android', 10),
  ('OrganicMaps',      '%#organicmaps ios',                           'similar', 'ios',     20),
  ('MapComplete',      '%#MapComplete #notes',                        'similar', 'web',     30),
  ('OnOSM.OSMiranorg', 'onosm.osmiran.org %',                         'similar', 'web',     40),
  ('OnOSM.org',        'onosm.org %',                                 'similar', 'web',     50),
  ('Mapy.cz',          '(%#Mapy.cz%|%#Mapycz%|#Mapy.cz%|%#mapycz%)',  'similar', 'web',     60),
  ('msftopenmaps',     '%(#msftopenmaps|%#MSFTOpenMaps)%',            'similar', 'web',     70),
  ('StreetComplete',   '%via StreetComplete%',                        'similar', NULL,      100),
  ('Maps.me',          '%#mapsme',                                    'similar', NULL,      110),
  ('EveryDoor',        '%#EveryDoor',                                 'similar', NULL,      120),
  ('OsmAnd',           '%#OsmAnd',                                    'similar', NULL,      130),
  ('LocusMap',         '%#LocusMap',                                  'similar', NULL,      140),
  ('OrganicMaps',      '%#organicmaps',                               'similar', NULL,      150),
  ('OSM Report',       '%#osmreport',                                 'similar', NULL,      160),
  ('iD',               '%with iD%',                                   'similar', NULL,      200),
  ('iD',               '% iD %',                                      'similar', NULL,      210),
  ('JOSM',             '%JOSM%',                                      'similar', NULL,      220),
  ('Vespucci',         '%Vespucci%',                                  'similar', NULL,      230),
  ('Go Map!!',         '%Go Map%',                                    'similar', NULL,      240),
  ('Potlatch',         '%Potlatch%',                                  'similar', NULL,      250),
  ('Mapillary',        '%Mapillary%',                                 'similar', NULL,      260);

CREATE TABLE dwh.dimension_application_versions (
  dimension_application_version_id serial      PRIMARY KEY,
  dimension_application_id         integer     NOT NULL REFERENCES dwh.dimension_applications,
  version                          varchar(32) NOT NULL,
  CONSTRAINT dimension_application_versions_app_version UNIQUE (dimension_application_id, version)
);
