-- After a rebuild of the countries' state: the primary keys and indexes state_clear.sql
-- dropped, each built in one sort (the next builds merge by the key; the rankings read the
-- indexes, migration 0035).
ALTER TABLE dwh.datamart_country_users ADD CONSTRAINT datamart_country_users_pkey PRIMARY KEY (country_id, year, user_id);
CREATE INDEX datamart_country_users_top_opened ON dwh.datamart_country_users (country_id, year, opened DESC) WHERE opened > 0;
CREATE INDEX datamart_country_users_top_closed ON dwh.datamart_country_users (country_id, year, closed DESC) WHERE closed > 0;
ALTER TABLE dwh.datamart_country_notes ADD CONSTRAINT datamart_country_notes_pkey PRIMARY KEY (id_note);
ALTER TABLE dwh.datamart_country_resolution_days ADD CONSTRAINT datamart_country_resolution_days_pkey PRIMARY KEY (country_id, month, days);
ALTER TABLE dwh.datamart_country_resolution_values ADD CONSTRAINT datamart_country_resolution_values_pkey PRIMARY KEY (country_id, year, days);
ALTER TABLE dwh.datamart_country_note_days ADD CONSTRAINT datamart_country_note_days_pkey PRIMARY KEY (country_id, day);
ALTER TABLE dwh.datamart_country_days ADD CONSTRAINT datamart_country_days_pkey PRIMARY KEY (country_id, day);
CREATE INDEX datamart_country_days_top_opened ON dwh.datamart_country_days (country_id, opened DESC, day DESC) WHERE opened > 0;
CREATE INDEX datamart_country_days_top_closed ON dwh.datamart_country_days (country_id, closed DESC, day DESC) WHERE closed > 0;
