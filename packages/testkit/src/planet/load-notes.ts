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

export interface LoadNotesOptions {
  /** CSV of countries: country_id, country_name, country_name_es, country_name_en (header required). */
  countriesCsv?: string;
  /** CSV assigning notes to countries: header with note_id and id_country (or country_id_derived). */
  noteCountriesCsv?: string;
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
  notesWithCountry: number;
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
  async function* rows(): AsyncGenerator<string> {
    for await (const batch of readNotesXml(input)) {
      let chunk = "";
      for (const note of batch) {
        chunk += noteRows(note);
        commentsRead += note.comments.length;
      }
      notesRead += batch.length;
      options.onProgress?.({ notes: notesRead, comments: commentsRead });
      yield chunk;
    }
  }

  return sql.begin(async (tx) => {
    await tx.file(`${sqlDir}stage.sql`);
    await copyFrom(tx, "COPY osmn_planet_rows (kind, note_id, seq, a, b, c, d, e) FROM STDIN", rows());
    const notesBefore = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM public.notes`;
    const notes = await tx.file(`${sqlDir}merge-notes.sql`);
    const notesAfter = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM public.notes`;
    const users = await tx.file(`${sqlDir}merge-users.sql`);
    const comments = await tx.file(`${sqlDir}merge-comments.sql`);
    const texts = await tx.file(`${sqlDir}merge-texts.sql`);
    const countriesUpserted = options.countriesCsv ? await loadCountriesCsv(tx, options.countriesCsv) : 0;
    const notesWithCountry = options.noteCountriesCsv ? await loadNoteCountriesCsv(tx, options.noteCountriesCsv) : 0;
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
      seconds: (performance.now() - started) / 1000,
    };
  });
}

/** COPY rows of one note; status and closed_at as Ingestion's trigger leaves them. */
function noteRows(note: ParsedNote): string {
  let out = "";
  for (const c of note.comments) {
    out += copyLine(["c", note.id, c.sequence, c.event, c.createdAt, c.uid, c.username, c.body]);
  }
  const { status, closedAt } = replayNoteStatus({ status: note.status, closedAt: note.closedAt }, note.comments);
  return copyLine(["n", note.id, null, note.latitude, note.longitude, note.createdAt, closedAt, status]) + out;
}
