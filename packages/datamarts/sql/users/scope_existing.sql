-- Every row of the datamart (the daily pass over time-relative fields).
INSERT INTO dm_scope (id) SELECT user_id FROM dwh.datamartusers
