import { createReadStream, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { PassThrough, pipeline, type Readable } from "node:stream";
import unbzip2 from "unbzip2-stream";
import type { Sql } from "../connect.ts";
import { copyFrom, copyLine } from "../copy-text.ts";
import { TestkitError } from "../testkit-error.ts";
import { readNotesXml, type ParsedNote } from "./notes-xml-reader.ts";
import { loadCountriesCsv, loadNoteCountriesCsv } from "./load-countries.ts";
import { replayNoteStatus } from "../note-status.ts";
import { COUNTRY_NOT_FOUND, INTERNATIONAL_WATERS, countryIdAt, type CountryAssignmentCounts } from "./assign-country.ts";
import { COUNTRIES_REFERENCE } from "./countries-reference.ts";

export interface LoadNotesOptions {
  /** CSV of countries: country_id, country_name, country_name_es, country_name_en (header required). */
  countriesCsv?: string;
  /** CSV assigning notes to countries: header with note_id and id_country (or country_id_derived). Applied last, so it overrides. */
  noteCountriesCsv?: string;
  /**
   * Assign each note's id_country offline from its lon/lat while reading (assign-country.ts)
   * and upsert the 281 reference areas into public.countries. Off by default so callers that
   * load countries themselves are unchanged; `load-planet` turns it on. A note already in the
   * table keeps a non-NULL id_country.
   */
  assignCountries?: boolean;
  /** Called after each batch of notes is streamed. */
  onProgress?: (progress: { notes: number; comments: number }) => void;
}

export interface LoadNotesReport {
  notesRead: number;
  commentsRead: number;
  notesInserted: number;
  notesUpdated: number;
  commentsInserted: number;
  textsInserted: number;
  usersUpserted: number;
  countriesUpserted: number;
  /**
   * With noteCountriesCsv: notes of the CSV that have an id_country. Otherwise, with
   * assignCountries: notes of this dump whose id_country is a country (> 0) after the load.
   */
  notesWithCountry: number;
  /** What the offline assignment computed for the notes read (present with assignCountries). */
  countryAssignment?: CountryAssignmentCounts;
  seconds: number;
}

const sqlDir = fileURLToPath(new URL("../../sql/planet/", import.meta.url));

/** Opens a notes file, decompressing `.gz` and `.bz2` by name. */
export function openNotesFile(path: string): Readable {
  if (!existsSync(path)) {
    throw new TestkitError("input_missing", `No such file: ${path}`, "Give the path of an OSM planet notes dump (.osn, .osn.gz, .osn.bz2) or an API notes XML.");
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // pipeline() forwards a read or decompression error to the last stream, so the reader
  // fails instead of waiting forever. unbzip2-stream is an old-style `through` stream: the
  // PassThrough makes the result a modern, async-iterable stream.
  const done = () => {};
  if (path.endsWith(".gz")) return pipeline(raw, createGunzip(), new PassThrough(), done);
  if (path.endsWith(".bz2")) return pipeline(raw, unbzip2(), new PassThrough(), done);
  return raw;
}

/**
 * Loads an OSM notes document (planet dump or API answer) into the base tables in one
 * transaction: all of it, or nothing when anything is malformed. Re-loading the same or a
 * newer dump adds only what is new. Memory stays constant: notes stream into COPY.
 */
export async function loadNotesXml(sql: Sql, input: AsyncIterable<Uint8Array | string>, options: LoadNotesOptions = {}): Promise<LoadNotesReport> {
  const started = performance.now();
  let notesRead = 0;
  let commentsRead = 0;
  const assigned: CountryAssignmentCounts | undefined = options.assignCountries
    ? { country: 0, internationalWaters: 0, notFound: 0 }
    : undefined;
  // Computed per note as it streams by (an in-memory point-in-polygon), so memory stays constant.
  const countryOf = (note: ParsedNote): number | null => {
    if (!assigned) return null;
    const id = countryIdAt(Number(note.longitude), Number(note.latitude));
    if (id > 0) assigned.country++;
    else if (id === INTERNATIONAL_WATERS) assigned.internationalWaters++;
    else if (id === COUNTRY_NOT_FOUND) assigned.notFound++;
    return id;
  };
  async function* rows(): AsyncGenerator<string> {
    for await (const batch of readNotesXml(input)) {
      let chunk = "";
      for (const note of batch) {
        chunk += noteRows(note, countryOf(note));
        commentsRead += note.comments.length;
      }
      notesRead += batch.length;
      options.onProgress?.({ notes: notesRead, comments: commentsRead });
      yield chunk;
    }
  }

  return sql.begin(async (tx) => {
    await tx.file(`${sqlDir}stage.sql`);
    await copyFrom(tx, "COPY osmn_planet_rows (kind, note_id, seq, a, b, c, d, e, f) FROM STDIN", rows());
    const notesBefore = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM public.notes`;
    const notes = await tx.file(`${sqlDir}merge-notes.sql`);
    const notesAfter = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM public.notes`;
    const users = await tx.file(`${sqlDir}merge-users.sql`);
    const comments = await tx.file(`${sqlDir}merge-comments.sql`);
    const texts = await tx.file(`${sqlDir}merge-texts.sql`);
    const referenceUpserted = assigned
      ? (await tx.file(`${sqlDir}upsert-reference-countries.sql`, [JSON.stringify(COUNTRIES_REFERENCE)])).count
      : 0;
    // The CSVs come after the reference and the assignment, so they override both.
    const countriesUpserted = referenceUpserted + (options.countriesCsv ? await loadCountriesCsv(tx, options.countriesCsv) : 0);
    let notesWithCountry = 0;
    if (options.noteCountriesCsv) notesWithCountry = await loadNoteCountriesCsv(tx, options.noteCountriesCsv);
    else if (assigned) {
      const [row] = await tx<{ n: number }[]>`
        SELECT count(*)::int AS n FROM public.notes n JOIN osmn_planet_rows s ON s.kind = 'n' AND n.note_id = s.note_id::int
        WHERE n.id_country > 0`;
      notesWithCountry = row!.n;
    }
    const notesInserted = notesAfter[0]!.n - notesBefore[0]!.n;
    return {
      notesRead,
      commentsRead,
      notesInserted,
      notesUpdated: notes.count - notesInserted,
      commentsInserted: comments.count,
      textsInserted: texts.count,
      usersUpserted: users.count,
      countriesUpserted,
      notesWithCountry,
      ...(assigned ? { countryAssignment: assigned } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  });
}

/** COPY rows of one note; status and closed_at as Ingestion's trigger leaves them. */
function noteRows(note: ParsedNote, countryId: number | null): string {
  let out = "";
  for (const c of note.comments) {
    out += copyLine(["c", note.id, c.sequence, c.event, c.createdAt, c.uid, c.username, c.body, null]);
  }
  const { status, closedAt } = replayNoteStatus({ status: note.status, closedAt: note.closedAt }, note.comments);
  return copyLine(["n", note.id, null, note.latitude, note.longitude, note.createdAt, closedAt, status, countryId]) + out;
}
