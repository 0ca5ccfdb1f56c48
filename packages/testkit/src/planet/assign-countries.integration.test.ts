import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { freshDatabase, type TestDatabase } from "../test-database.ts";
import { sharedDataPath } from "../shared-data.ts";
import { loadNotesXml, openNotesFile } from "./load-notes.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await db.drop();
});

const sample = () => openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml"));
const reset = () => db.sql`TRUNCATE notes, note_comments, note_comments_text, users, countries`;

/** note_id → a country column of shared/data/derived (plain CSV: no quoted fields in it). */
function derivedCountries(column = "country_id_derived"): Map<number, number | null> {
  const [header, ...lines] = readFileSync(sharedDataPath("derived/fixture-994-note-countries.csv"), "utf8").trim().split(/\r?\n/);
  const cols = header!.split(",");
  const idCol = cols.indexOf("note_id");
  const countryCol = cols.indexOf(column);
  expect(idCol).toBeGreaterThanOrEqual(0);
  expect(countryCol).toBeGreaterThanOrEqual(0);
  const out = new Map<number, number | null>();
  for (const line of lines) {
    const fields = line.split(",");
    out.set(Number(fields[idCol]), fields[countryCol] ? Number(fields[countryCol]) : null);
  }
  return out;
}

test("the 994-note sample: offline assignment covers and agrees with derived/", async () => {
  await reset();
  const report = await loadNotesXml(db.sql, sample(), { assignCountries: true });
  const derived = derivedCountries();
  expect(derived.size).toBe(994);
  const derivedPositive = [...derived.values()].filter((c) => c !== null && c > 0).length;
  expect(derivedPositive).toBe(989);

  const rows = await db.sql<{ note_id: number; id_country: number | null }[]>`SELECT note_id, id_country FROM notes`;
  expect(rows.length).toBe(994);
  let positive = 0;
  let both = 0;
  let agree = 0;
  for (const { note_id, id_country } of rows) {
    if (id_country !== null && id_country > 0) positive++;
    const theirs = derived.get(note_id);
    if (id_country !== null && id_country > 0 && theirs != null && theirs > 0) {
      both++;
      if (theirs === id_country) agree++;
    }
  }
  const agreement = (100 * agree) / both;
  console.log(`offline country assignment of the 994-note sample: ${positive} notes with a country ` +
    `(derived/: ${derivedPositive}); agreement on the ${both} both assign: ${agree} (${agreement.toFixed(1)} %); ` +
    `report: ${JSON.stringify(report.countryAssignment)}`);
  // The 120 notes whose id the original system published (country_id_original): a check
  // against PostGIS boundaries rather than against the same package.
  const original = derivedCountries("country_id_original");
  const known = rows.filter((r) => original.get(r.note_id) != null);
  const sameAsOriginal = known.filter((r) => original.get(r.note_id) === r.id_country).length;
  console.log(`  against the original system's ids: ${sameAsOriginal} of ${known.length} notes agree`);
  expect(known.length).toBe(120);
  expect(sameAsOriginal / known.length).toBeGreaterThanOrEqual(0.95);
  expect(positive).toBeGreaterThanOrEqual(derivedPositive);
  expect(agreement).toBeGreaterThanOrEqual(95);

  // Every note got a value: a country, −1 at sea (4 at sea, 2 at Null Island), or −2.
  expect(rows.every((r) => r.id_country !== null)).toBe(true);
  expect(report.countryAssignment).toEqual({ country: positive, internationalWaters: 994 - positive, notFound: 0 });
  expect(report.notesWithCountry).toBe(positive);
  // The countries table holds the whole reference, and every assigned id is one of its rows.
  const [countries] = await db.sql<{ n: number; orphans: number; germany: string | null }[]>`
    SELECT (SELECT count(*)::int FROM countries) AS n,
           (SELECT count(*)::int FROM notes WHERE id_country > 0 AND id_country NOT IN (SELECT country_id FROM countries)) AS orphans,
           (SELECT country_name_es FROM countries WHERE country_id = 51477) AS germany`;
  expect(countries).toEqual({ n: 281, orphans: 0, germany: "Alemania" });
  expect(report.countriesUpserted).toBe(281);
});

test("re-running keeps an existing id_country and fills only NULL ones", async () => {
  await reset();
  await loadNotesXml(db.sql, sample(), { assignCountries: true });
  // As if Ingestion had assigned note 10 (in Germany) to another area, and note 101150 had none.
  await db.sql`UPDATE notes SET id_country = 3649463 WHERE note_id = 10`;
  await db.sql`UPDATE notes SET id_country = NULL WHERE note_id = 101150`;
  const again = await loadNotesXml(db.sql, sample(), { assignCountries: true });
  expect(again).toMatchObject({ notesInserted: 0, notesUpdated: 1, commentsInserted: 0, countriesUpserted: 0 });
  const kept = await db.sql`SELECT note_id, id_country FROM notes WHERE note_id IN (10, 101150) ORDER BY note_id`;
  expect(kept.map((r) => [r.note_id, r.id_country])).toEqual([[10, 3649463], [101150, 2108121]]);
});

test("without assignCountries nothing changes; a note-countries CSV still overrides", async () => {
  await reset();
  const plain = await loadNotesXml(db.sql, sample());
  expect(plain.countryAssignment).toBeUndefined();
  const [row] = await db.sql<{ assigned: number; countries: number }[]>`
    SELECT (SELECT count(id_country)::int FROM notes) AS assigned, (SELECT count(*)::int FROM countries) AS countries`;
  expect(row).toEqual({ assigned: 0, countries: 0 });

  await reset();
  const both = await loadNotesXml(db.sql, sample(), {
    assignCountries: true,
    noteCountriesCsv: sharedDataPath("derived/fixture-994-note-countries.csv"),
  });
  expect(both.notesWithCountry).toBe(989);
  // Note 14 is at sea: assignment says −1, the CSV has no id and wins.
  const [note14] = await db.sql`SELECT id_country FROM notes WHERE note_id = 14`;
  expect(note14!.id_country).toBeNull();
});
