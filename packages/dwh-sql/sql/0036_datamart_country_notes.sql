-- The notes of the countries' state (migration 0033): what the resolution, recent and extras
-- families of the countries and global read of the notes (how many each country has, and how
-- many are open, per day of opening), kept up to date instead of read from every note's status
-- in each build (1 M notes at 1 M notes: ≈ 1 s to copy for the countries, 1 s for global, and
-- the families' scans of the copies).
--
-- Per note, its country, day of opening and whether it is open as of the last state update:
-- what a note counted for, so that a change of its status or country is moved between the
-- counts (datamarts countries/state_notes_merge.sql).
CREATE TABLE dwh.datamart_country_notes (
  id_note    integer NOT NULL PRIMARY KEY,
  country_id integer NOT NULL,
  opened_on  date    NOT NULL,
  is_open    boolean NOT NULL
);

-- Per country and day of opening: its notes, and those open now.
CREATE TABLE dwh.datamart_country_note_days (
  country_id integer NOT NULL,
  day        date    NOT NULL,
  notes      integer NOT NULL,
  open_notes integer NOT NULL,
  PRIMARY KEY (country_id, day)
);

-- Empty: the next build rebuilds the countries' state.
UPDATE dwh.datamart_state SET state_fact_id = NULL WHERE datamart = 'countries';
