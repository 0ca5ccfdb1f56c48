-- After a rebuild of the countries' state: the primary key and indexes state_clear.sql
-- dropped, each built in one sort (the next builds merge by the key; the rankings read the
-- indexes, migration 0035).
ALTER TABLE dwh.datamart_country_users ADD CONSTRAINT datamart_country_users_pkey PRIMARY KEY (country_id, year, user_id);
CREATE INDEX datamart_country_users_top_opened ON dwh.datamart_country_users (country_id, year, opened DESC) WHERE opened > 0;
CREATE INDEX datamart_country_users_top_closed ON dwh.datamart_country_users (country_id, year, closed DESC) WHERE closed > 0;
