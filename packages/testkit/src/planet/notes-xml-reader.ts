import { SaxesParser, type SaxesTagPlain } from "saxes";
import { TestkitError } from "../testkit-error.ts";

export const NOTE_EVENTS = ["opened", "closed", "reopened", "commented", "hidden"] as const;
export type NoteEvent = (typeof NOTE_EVENTS)[number];

export interface ParsedComment {
  /** 1-based position inside the note, in document order. */
  sequence: number;
  event: NoteEvent;
  /** UTC wall-clock, `YYYY-MM-DD HH:MM:SS`. */
  createdAt: string;
  uid: number | null;
  username: string | null;
  /** Newlines turned into spaces and trimmed, as Ingestion's loaders do; '' when empty. */
  body: string;
}

export interface ParsedNote {
  id: number;
  /** Kept as written (up to 7 decimals), to avoid float rounding. */
  latitude: string;
  longitude: string;
  createdAt: string;
  closedAt: string | null;
  /** 'closed' in the API is 'close' in the base tables. */
  status: "open" | "close";
  comments: ParsedComment[];
  /** Line of the `<note>` tag, for error messages. */
  line: number;
}

/**
 * Reads an OSM notes document, either a planet dump (`<osm-notes>`) or an API 0.6 answer
 * (`<osm>`), from a stream of chunks, with constant memory: notes are yielded in batches as
 * soon as they are complete. Anything malformed throws a TestkitError naming the line.
 */
export async function* readNotesXml(input: AsyncIterable<Uint8Array | string>, batchSize = 1000): AsyncGenerator<ParsedNote[]> {
  const state = new NotesXmlState();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decodeChunk(decoder, chunk, state.parser.line);
    state.write(text);
    if (state.done.length >= batchSize) yield state.done.splice(0);
  }
  state.write(decoder.decode());
  state.close();
  if (state.done.length) yield state.done.splice(0);
}

function decodeChunk(decoder: TextDecoder, chunk: Uint8Array, line: number): string {
  try {
    return decoder.decode(chunk, { stream: true });
  } catch (cause) {
    throw malformed(line, "the file is not valid UTF-8", cause);
  }
}

function malformed(line: number, what: string, cause?: unknown): TestkitError {
  return new TestkitError("planet_malformed", `Malformed notes XML at line ${line}: ${what}`,
    "Check that the file is a complete OSM planet notes dump or API notes answer (a truncated download is the usual cause).", cause);
}

const PLANET_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$/;
const API_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/;
const DECIMAL = /^-?\d{1,3}(\.\d+)?$/;
const INTEGER = /^\d{1,10}$/;

class NotesXmlState {
  readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  readonly done: ParsedNote[] = [];
  private format: "planet" | "api" | undefined;
  private note: ParsedNote | undefined;
  private comment: Partial<ParsedComment> & { line?: number } | undefined;
  /** Open element names below the root. */
  private path: string[] = [];
  private text = "";
  private error: TestkitError | undefined;

  constructor() {
    this.parser.on("error", (err) => {
      this.error ??= malformed(this.parser.line, err.message.replace(/^[^:]*:\d+:\d+: /, ""), err);
    });
    this.parser.on("opentag", (tag) => this.guard(() => this.open(tag)));
    this.parser.on("closetag", (tag) => this.guard(() => this.closeTag(tag)));
    this.parser.on("text", (t) => { this.text += t; });
    this.parser.on("cdata", (t) => { this.text += t; });
  }

  write(text: string): void {
    this.parser.write(text);
    if (this.error) throw this.error;
  }

  close(): void {
    this.parser.close();
    if (this.error) throw this.error;
    if (!this.format) throw malformed(this.parser.line, "no <osm-notes> or <osm> root element");
  }

  private guard(step: () => void): void {
    if (this.error) return;
    try {
      step();
    } catch (err) {
      this.error = err instanceof TestkitError ? err : malformed(this.parser.line, String(err), err);
    }
  }

  private fail(what: string): never {
    throw malformed(this.parser.line, what);
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name;
    this.text = "";
    if (!this.format) {
      if (name === "osm-notes") this.format = "planet";
      else if (name === "osm") this.format = "api";
      else this.fail(`unexpected root element <${name}>, expected <osm-notes> or <osm>`);
      return;
    }
    this.path.push(name);
    const depth = this.path.length;
    if (depth === 1) {
      if (name !== "note") return; // API answers may carry other top-level elements
      this.note = this.format === "planet" ? this.planetNote(tag.attributes) : this.apiNote(tag.attributes);
      return;
    }
    if (!this.note) return;
    if (this.format === "planet" && depth === 2 && name === "comment") {
      const a = tag.attributes;
      this.comment = {
        event: this.event(a.action),
        createdAt: this.time(a.timestamp, "timestamp"),
        uid: a.uid === undefined ? null : this.integer(a.uid, "uid"),
        username: a.user ?? null,
      };
    } else if (this.format === "api" && depth === 3 && name === "comment" && this.path[1] === "comments") {
      this.comment = { uid: null, username: null };
    }
  }

  private closeTag(tag: SaxesTagPlain): void {
    const name = tag.name;
    const depth = this.path.length;
    if (depth === 0) return; // root closed
    this.path.pop();
    const note = this.note;
    if (!note) return;
    if (depth === 1 && name === "note") {
      this.finishNote(note);
      return;
    }
    if (this.format === "planet") {
      if (depth === 2 && name === "comment") this.pushComment(this.text);
      return;
    }
    // API format: note fields at depth 2, comment fields at depth 4.
    const value = this.text.trim();
    if (depth === 2) {
      if (name === "id") note.id = this.integer(value, "id");
      else if (name === "date_created") note.createdAt = this.time(value, "date_created");
      else if (name === "date_closed") note.closedAt = this.time(value, "date_closed");
      else if (name === "status") {
        if (value !== "open" && value !== "closed") this.fail(`unknown note status "${value}"`);
        note.status = value === "closed" ? "close" : "open";
      }
    } else if (depth === 4 && this.comment) {
      if (name === "date") this.comment.createdAt = this.time(value, "date");
      else if (name === "uid") this.comment.uid = this.integer(value, "uid");
      else if (name === "user") this.comment.username = value;
      else if (name === "action") this.comment.event = this.event(value);
      else if (name === "text") this.comment.body = this.text;
    } else if (depth === 3 && name === "comment") {
      this.pushComment(this.comment?.body ?? "");
    }
  }

  private pushComment(rawBody: string): void {
    const c = this.comment;
    const note = this.note!;
    if (!c) return;
    if (!c.event) this.fail(`comment of note ${note.id} has no action`);
    if (!c.createdAt) this.fail(`comment of note ${note.id} has no date`);
    note.comments.push({
      sequence: note.comments.length + 1,
      event: c.event,
      createdAt: c.createdAt,
      uid: c.uid ?? null,
      username: c.uid === null || c.uid === undefined ? null : (c.username ?? ""),
      body: rawBody.replace(/\r?\n|\r/g, " ").trim(),
    });
    this.comment = undefined;
  }

  private finishNote(note: ParsedNote): void {
    if (this.format === "api") {
      if (note.id < 0) this.fail("note without <id>");
      if (!note.createdAt) this.fail(`note ${note.id} has no <date_created>`);
    }
    this.done.push(note);
    this.note = undefined;
  }

  private planetNote(a: Record<string, string>): ParsedNote {
    const closedAt = a.closed_at === undefined ? null : this.time(a.closed_at, "closed_at");
    return {
      id: this.integer(a.id, "id"),
      latitude: this.coordinate(a.lat, "lat", 90),
      longitude: this.coordinate(a.lon, "lon", 180),
      createdAt: this.time(a.created_at, "created_at"),
      closedAt,
      status: closedAt ? "close" : "open",
      comments: [],
      line: this.parser.line,
    };
  }

  private apiNote(a: Record<string, string>): ParsedNote {
    return {
      id: -1,
      latitude: this.coordinate(a.lat, "lat", 90),
      longitude: this.coordinate(a.lon, "lon", 180),
      createdAt: "",
      closedAt: null,
      status: "open",
      comments: [],
      line: this.parser.line,
    };
  }

  private integer(value: string | undefined, what: string): number {
    if (value === undefined || !INTEGER.test(value)) this.fail(`attribute ${what}="${value ?? ""}" is not a positive integer`);
    const n = Number(value);
    if (n > 2_147_483_647) this.fail(`${what}="${value}" does not fit an integer column`);
    return n;
  }

  private coordinate(value: string | undefined, what: string, limit: number): string {
    if (value === undefined || !DECIMAL.test(value) || Math.abs(Number(value)) > limit) {
      this.fail(`attribute ${what}="${value ?? ""}" is not a coordinate between -${limit} and ${limit}`);
    }
    return value;
  }

  private time(value: string | undefined, what: string): string {
    const m = value === undefined ? null : (PLANET_TIME.exec(value) ?? API_TIME.exec(value));
    if (!m) this.fail(`${what}="${value ?? ""}" is not a UTC timestamp`);
    return `${m[1]} ${m[2]}`;
  }

  private event(value: string | undefined): NoteEvent {
    if (!NOTE_EVENTS.includes(value as NoteEvent)) this.fail(`unknown note action "${value ?? ""}"`);
    return value as NoteEvent;
  }
}
