-- After a rebuild of the countries' state: the primary key state_clear.sql dropped, built in
-- one sort (the next builds merge by it).
ALTER TABLE dwh.datamart_country_users ADD CONSTRAINT datamart_country_users_pkey PRIMARY KEY (country_id, year, user_id);
