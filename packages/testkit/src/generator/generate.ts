import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sql } from "../connect.ts";
import { applyBaseIndexes, applyBaseTablesOnly, dropBaseIndexes, markBaseLoadComplete } from "../base-tables.ts";
import { copyField, copyFrom, copyLine } from "../copy-text.ts";
import { TestkitError } from "../testkit-error.ts";
import { simulateNotes, uidOfRank, userPoolSize, usernameFor, type SimulatedNote, type SimulationOptions } from "./simulate-notes.ts";
import { COUNTRIES } from "./vocabulary.ts";

export interface GenerateOptions {
  notes: number;
  seed?: number;
  /** Default 2013-04-24, the first day of OSM notes. */
  from?: Date;
  /** Default 2025-11-20 (the newest note of the real sample): fixed, so a seed is reproducible. */
  until?: Date;
  /** Empty the base tables first; otherwise they must be empty. */
  replace?: boolean;
  onProgress?: (step: GenerateStep) => void;
}

export interface GenerateStep {
  table: string;
  rows: number;
  seconds: number;
}

export interface GenerateReport {
  notes: number;
  actions: number;
  users: number;
  countries: number;
  seconds: number;
  steps: GenerateStep[];
}

const BASE_TABLES = ["note_comments_text", "note_comments", "notes", "users", "countries"] as const;

/**
 * Loads deterministic, realistic synthetic base data (see simulateNotes) into the base
 * tables, in one transaction. Rows stream into COPY with constraints and indexes dropped,
 * then rebuilt in bulk (which also validates them). The same seed gives
 * byte-identical tables: even the load-time columns are fixed.
 */
export async function generate(sql: Sql, options: GenerateOptions): Promise<GenerateReport> {
  if (!Number.isInteger(options.notes) || options.notes < 1) {
    throw new TestkitError("invalid_option", `notes must be a positive integer, got ${options.notes}`, "Pass --notes N with N ≥ 1.");
  }
  const simulation: SimulationOptions = {
    notes: options.notes,
    seed: options.seed ?? 1,
    from: options.from ?? new Date("2013-04-24T00:00:00Z"),
    until: options.until ?? new Date("2025-11-20T23:59:59Z"),
  };
  const loadTime = simulation.until.toISOString().slice(0, 19).replace("T", " ");
  const started = performance.now();
  const steps: GenerateStep[] = [];
  const step = async (table: string, work: () => Promise<number>, t0 = performance.now()) => {
    const rows = await work();
    const s = { table, rows, seconds: (performance.now() - t0) / 1000 };
    steps.push(s);
    options.onProgress?.(s);
    return rows;
  };

  const report = await sql.begin(async (tx) => {
    await tx`SET LOCAL synchronous_commit = off`;
    // Index builds after the load sort millions of rows: give them memory.
    await tx`SET LOCAL maintenance_work_mem = '512MB'`;
    await applyBaseTablesOnly(tx);
    if (!options.replace) {
      const [filled] = await tx<{ n: number }[]>`
        SELECT (SELECT count(*) FROM (SELECT 1 FROM public.notes LIMIT 1) a)
             + (SELECT count(*) FROM (SELECT 1 FROM public.note_comments LIMIT 1) b)
             + (SELECT count(*) FROM (SELECT 1 FROM public.users LIMIT 1) c)
             + (SELECT count(*) FROM (SELECT 1 FROM public.countries LIMIT 1) d) AS n`;
      if (Number(filled!.n) > 0) {
        throw new TestkitError("target_not_empty", "The base tables already hold data; generate writes into empty tables",
          "Use --replace to empty them first (this deletes notes, actions, texts, users and countries).");
      }
    }
    // Always truncate (the tables are empty or meant to be emptied): a table truncated in this
    // transaction can take COPY … FREEZE, which spares the first VACUUM a pass over every row.
    await tx.unsafe(`TRUNCATE ${BASE_TABLES.map((t) => `public.${t}`).join(", ")} RESTART IDENTITY`);
    await dropBaseIndexes(tx);

    const countries = await step("countries", async () => {
      await copyFrom(tx, "COPY public.countries (country_id, country_name, country_name_es, country_name_en) FROM STDIN WITH (FREEZE)",
        [COUNTRIES.map((c) => copyLine([c[0], c[1], c[2], c[3]])).join("")]);
      return COUNTRIES.length;
    });
    const spoolDir = mkdtempSync(join(tmpdir(), "osmn-generate-"));
    let spooled: SpooledActions;
    try {
      const t0 = performance.now();
      spooled = await copyNotesSpoolActions(tx, simulation, loadTime, spoolDir);
      await step("notes", async () => spooled.notes, t0);
      await step("note_comments", async () => {
        await copyFrom(tx, COPY_ACTIONS, createReadStream(spooled.actionsFile, { encoding: "utf8", highWaterMark: 1 << 20 }));
        return spooled.actions;
      });
      await step("note_comments_text", async () => {
        await copyFrom(tx, COPY_TEXTS, createReadStream(spooled.textsFile, { encoding: "utf8", highWaterMark: 1 << 20 }));
        return spooled.actions;
      });
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
    const { notes, actions } = spooled;
    const users = await step("users", async () => {
      await tx`CREATE TEMP TABLE osmn_user_pool (user_id int, username text) ON COMMIT DROP`;
      await copyFrom(tx, "COPY osmn_user_pool FROM STDIN", userPoolChunks(userPoolSize(options.notes)));
      // Only users that acted exist in Ingestion's users table.
      const inserted = await tx`
        INSERT INTO public.users (user_id, username)
        SELECT p.user_id, p.username FROM osmn_user_pool p
        WHERE p.user_id IN (SELECT id_user FROM public.note_comments WHERE id_user IS NOT NULL)
        ORDER BY p.user_id`;
      return inserted.count;
    });
    await tx`SELECT setval('public.note_comments_id_seq', ${actions + 1}, false),
                    setval('public.note_comments_text_id_seq', ${actions + 1}, false)`;
    await step("constraints and indexes", async () => {
      await applyBaseIndexes(tx);
      return 0;
    });
    await markBaseLoadComplete(tx);
    return { notes, actions, users, countries };
  });
  await step("analyze", async () => {
    await sql`ANALYZE public.notes, public.note_comments, public.note_comments_text, public.users, public.countries`;
    return 0;
  });
  return { ...report, seconds: (performance.now() - started) / 1000, steps };
}

const COPY_NOTES = "COPY public.notes (note_id, latitude, longitude, created_at, status, closed_at, id_country, insert_time, update_time) FROM STDIN WITH (FREEZE)";
const COPY_ACTIONS = "COPY public.note_comments (id, note_id, sequence_action, event, processing_time, created_at, id_user) FROM STDIN WITH (FREEZE)";
const COPY_TEXTS = "COPY public.note_comments_text (id, note_id, sequence_action, processing_time, body) FROM STDIN WITH (FREEZE)";

interface SpooledActions {
  notes: number;
  actions: number;
  actionsFile: string;
  textsFile: string;
}

/**
 * Runs the simulation once: notes stream straight into COPY while the rows of the other two
 * tables are spooled to temporary files (one connection can feed only one COPY at a time),
 * so memory stays flat whatever the scale.
 */
async function copyNotesSpoolActions(tx: Parameters<typeof copyFrom>[0], simulation: SimulationOptions, loadTime: string, dir: string): Promise<SpooledActions> {
  const actionsFile = join(dir, "note_comments.copy");
  const textsFile = join(dir, "note_comments_text.copy");
  const actionsOut = createWriteStream(actionsFile);
  const textsOut = createWriteStream(textsFile);
  let notes = 0;
  let actionId = 0;
  async function* chunks(): AsyncGenerator<string> {
    let noteChunk = "";
    let actionChunk = "";
    let textChunk = "";
    for (const note of simulateNotes(simulation)) {
      noteChunk += noteLine(note, loadTime);
      for (const a of note.actions) {
        actionId++;
        // Template literals instead of copyLine: only the body can need escaping (hot path).
        const uid = a.userRank < 0 ? "\\N" : uidOfRank(a.userRank);
        actionChunk += `${actionId}\t${note.id}\t${a.sequence}\t${a.event}\t${loadTime}\t${a.createdAt}\t${uid}\n`;
        textChunk += `${actionId}\t${note.id}\t${a.sequence}\t${loadTime}\t${copyField(a.body)}\n`;
      }
      if (++notes % 5000 === 0) {
        await Promise.all([write(actionsOut, actionChunk), write(textsOut, textChunk)]);
        actionChunk = textChunk = "";
        yield noteChunk;
        noteChunk = "";
      }
    }
    await Promise.all([write(actionsOut, actionChunk), write(textsOut, textChunk)]);
    if (noteChunk) yield noteChunk;
  }
  try {
    await copyFrom(tx, COPY_NOTES, chunks());
  } finally {
    await Promise.all([close(actionsOut), close(textsOut)]);
  }
  return { notes, actions: actionId, actionsFile, textsFile };
}

function write(out: WriteStream, chunk: string): Promise<void> {
  if (!chunk || out.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => out.once("drain", resolve));
}

function close(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function noteLine(note: SimulatedNote, loadTime: string): string {
  const closedAt = note.closedAt ?? "\\N";
  const country = note.countryId ?? "\\N";
  return `${note.id}\t${note.latitude}\t${note.longitude}\t${note.createdAt}\t${note.status}\t${closedAt}\t${country}\t${loadTime}\t${loadTime}\n`;
}

function* userPoolChunks(size: number): Generator<string> {
  let chunk = "";
  for (let rank = 0; rank < size; rank++) {
    const uid = uidOfRank(rank);
    chunk += copyLine([uid, usernameFor(rank, uid)]);
    if (rank % 10_000 === 9_999) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
