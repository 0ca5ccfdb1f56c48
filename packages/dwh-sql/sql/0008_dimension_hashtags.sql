-- Hashtag names ('#' + one or more \w characters, stored without '#', case as written).
CREATE TABLE dwh.dimension_hashtags (
  dimension_hashtag_id serial PRIMARY KEY,
  description          text   NOT NULL UNIQUE
);
