-- Contributor classification of the user datamart (datamarts-export §3.4), joined by the
-- exporter for contributor_type_name / _en.
CREATE TABLE dwh.contributor_types (
  contributor_type_id      smallint    NOT NULL PRIMARY KEY,
  contributor_type_name    varchar(64) NOT NULL,
  contributor_type_name_en varchar(64) NOT NULL
);
INSERT INTO dwh.contributor_types VALUES
  (1, 'Normal Notero', 'Normal contributor'),
  (2, 'Just starting notero', 'Just starting'),
  (3, 'Newbie Notero', 'Newbie contributor'),
  (4, 'All-time notero', 'All-time contributor'),
  (5, 'Hit-and-run notero', 'Hit and run'),
  (6, 'Junior notero', 'Junior contributor'),
  (7, 'Inactive notero', 'Inactive contributor'),
  (8, 'Retired notero', 'Retired contributor'),
  (9, 'Forgotten notero', 'Forgotten contributor'),
  (10, 'Exporadic notero', 'Sporadic contributor'),
  (11, 'Start closing notero', 'Start closing'),
  (12, 'Casual notero', 'Casual contributor'),
  (13, 'Power closing notero', 'Power closer'),
  (14, 'Power notero', 'Power contributor'),
  (15, 'Crazy closing notero', 'Crazy closer'),
  (16, 'Crazy notero', 'Crazy contributor'),
  (17, 'Addicted closing notero', 'Addicted closer'),
  (18, 'Addicted notero', 'Addicted contributor'),
  (19, 'Epic closing notero', 'Epic closer'),
  (20, 'Epic notero', 'Epic contributor'),
  (21, 'Bot closing notero', 'Bot closer'),
  (22, 'Robot notero', 'Robot contributor'),
  (23, 'OoM Exception notero', 'OoM Exception contributor');
