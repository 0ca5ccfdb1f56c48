import type { Sql } from "../connect.ts";
import { sharedDataPath } from "../shared-data.ts";
import { loadNotesXml, openNotesFile, type LoadNotesReport } from "./load-notes.ts";

/**
 * Loads the 994-note real planet sample (shared/data) into the base tables, with the countries of
 * the original's published index and each note's country as the original assigned it: the
 * input every package's "real sample" tests start from. Fails with a clear message without
 * ../shared (sharedDataPath).
 */
export async function loadRealSample(sql: Sql): Promise<LoadNotesReport> {
  return loadNotesXml(sql, openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml")), {
    countriesCsv: sharedDataPath("derived/countries-from-published-index.csv"),
    noteCountriesCsv: sharedDataPath("derived/fixture-994-note-countries.csv"),
  });
}
