// CSV of closed notes per country from the 994-note real sample through the real ETL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import {
  applyBaseTables,
  freshDatabase,
  markBaseLoadComplete,
  type Sql,
  type TestDatabase,
  loadRealSample,
} from "@osm-notes/testkit";
import { parseCsv } from "../../test/parse-csv.ts";
import { ExporterError } from "../exporter-error.ts";
import { CLOSED_NOTES_CSV_COLUMNS } from "./closed-notes-columns.ts";
import { csvFileName } from "./csv-file-name.ts";
import { exportClosedNotesCsv } from "./export-closed-notes-csv.ts";
import { removeDir } from "../../test/remove-dir.ts";

let db: TestDatabase;
let sql: Sql;
const root = mkdtempSync(join(tmpdir(), "exporter-csv-db-"));
const out = join(root, "notes-by-country");
const TRICKY = 'He said "done", fixed.\nSecond line, with a comma\r\nand a third';

beforeAll(async () => {
  db = await freshDatabase({
    name: "dwh",
    prepare: async (s: Sql) => {
      await applyBaseTables(s);
      await migrate(s);
    },
  });
  sql = db.sql;
  await loadRealSample(sql);
  await markBaseLoadComplete(sql);
  await runEtl(sql);
}, 60_000);

afterAll(async () => {
  await db?.drop();
  removeDir(root);
});

const csvOf = (file: string): string[][] => parseCsv(readFileSync(join(out, file), "utf8"));

describe("exportClosedNotesCsv on the 994-note sample", () => {
  let busiest: { country_id: number; country_name: string; n: number };
  let tricky: { note_id: number; country_id: number; country_name: string };

  test("one file per country with closed notes, as many rows as a direct count, RFC 4180 quoting of a hard comment", async () => {
    // Direct counts from the base tables: notes whose last open/close/reopen action is a close,
    // by their country. (notes.status alone is not it: the sample has notes marked closed whose
    // closing action is outside the sample; without a close there is no closed_at to export.)
    const counts = await sql<{ country_id: number; country_name: string; n: number }[]>`
      SELECT c.country_id, coalesce(c.country_name, c.country_name_en, 'Unknown') AS country_name, count(*)::integer AS n
      FROM public.notes n JOIN dwh.dimension_countries c ON c.country_id = coalesce(n.id_country, -1)
      WHERE (SELECT nc.event FROM public.note_comments nc WHERE nc.note_id = n.note_id AND nc.event IN ('opened', 'closed', 'reopened')
             ORDER BY nc.sequence_action DESC LIMIT 1) = 'closed'
      GROUP BY 1, 2 ORDER BY n DESC, 1`;
    busiest = counts[0]!;
    expect(busiest.n).toBeGreaterThan(5);
    // The closing comment of one closed note of that country gets a newline, a quote and a comma.
    const [pick] = await sql<{ note_id: number; sequence_action: number }[]>`
      SELECT n.note_id, max(nc.sequence_action)::integer AS sequence_action
      FROM public.notes n JOIN public.note_comments nc ON nc.note_id = n.note_id AND nc.event = 'closed'
      WHERE coalesce(n.id_country, -1) = ${busiest.country_id}
      GROUP BY n.note_id
      HAVING max(nc.sequence_action) = (SELECT max(x.sequence_action) FROM public.note_comments x
                                        WHERE x.note_id = n.note_id AND x.event IN ('opened', 'closed', 'reopened'))
      ORDER BY n.note_id LIMIT 1`;
    const updated = await sql`
      UPDATE public.note_comments_text SET body = ${TRICKY} WHERE note_id = ${pick!.note_id} AND sequence_action = ${pick!.sequence_action}`;
    if (updated.count === 0) {
      await sql`INSERT INTO public.note_comments_text (note_id, sequence_action, body) VALUES (${pick!.note_id}, ${pick!.sequence_action}, ${TRICKY})`;
    }
    tricky = { note_id: pick!.note_id, country_id: busiest.country_id, country_name: busiest.country_name };

    const report = await exportClosedNotesCsv(sql, { outDir: out });
    expect(report.files.map((f) => f.countryId).sort((a, b) => a - b)).toEqual(counts.map((c) => c.country_id).sort((a, b) => a - b));
    expect(readdirSync(out).sort()).toEqual(counts.map((c) => csvFileName(c.country_id, c.country_name)).sort());
    for (const c of counts) {
      const records = csvOf(csvFileName(c.country_id, c.country_name));
      expect(records[0]).toEqual([...CLOSED_NOTES_CSV_COLUMNS]);
      expect(records.length - 1).toBe(c.n);
      expect(report.files.find((f) => f.countryId === c.country_id)?.rows).toBe(c.n);
    }
    expect(report.rows).toBe(counts.reduce((s, c) => s + c.n, 0));

    const records = csvOf(csvFileName(busiest.country_id, busiest.country_name));
    const row = records.find((r) => r[0] === String(tricky.note_id))!;
    expect(row).toBeDefined();
    const at = (col: (typeof CLOSED_NOTES_CSV_COLUMNS)[number]) => row[CLOSED_NOTES_CSV_COLUMNS.indexOf(col)];
    expect(at("closing_comment")).toBe(TRICKY);
    expect(at("country_name")).toBe(busiest.country_name);
    const raw = readFileSync(join(out, csvFileName(busiest.country_id, busiest.country_name)), "utf8");
    expect(raw).toContain('"He said ""done"", fixed.\nSecond line, with a comma\r\nand a third"');

    // Values against the base tables for that note.
    const [note] = await sql<{ latitude: string; opened_at: string; closed_at: string }[]>`
      SELECT latitude::text, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') AS opened_at, (SELECT to_char(max(created_at), 'YYYY-MM-DD HH24:MI:SS') FROM public.note_comments
               WHERE note_id = ${tricky.note_id} AND event = 'closed') AS closed_at
      FROM public.notes WHERE note_id = ${tricky.note_id}`;
    expect([at("latitude"), at("opened_at"), at("closed_at")]).toEqual([note!.latitude, note!.opened_at, note!.closed_at]);
    // Most recent close first.
    const closed = records.slice(1).map((r) => r[CLOSED_NOTES_CSV_COLUMNS.indexOf("closed_at")]!);
    expect([...closed].sort().reverse()).toEqual(closed);
  });

  test("a cap per country keeps the most recent closes", async () => {
    const capped = join(root, "capped");
    const report = await exportClosedNotesCsv(sql, { outDir: capped, maxRowsPerCountry: 3, batchSize: 2 });
    const file = report.files.find((f) => f.countryId === busiest.country_id)!;
    expect(file.rows).toBe(3);
    const full = csvOf(csvFileName(busiest.country_id, busiest.country_name)).slice(1, 4);
    expect(parseCsv(readFileSync(join(capped, file.file), "utf8")).slice(1)).toEqual(full);
  });

  test("a failing export leaves the previous files byte-identical", async () => {
    const before = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    const version = realpathSync(out);
    await sql`ALTER TABLE public.note_comments_text RENAME TO note_comments_text_away`;
    try {
      const err = (await exportClosedNotesCsv(sql, { outDir: out }).catch((e: unknown) => e)) as ExporterError;
      expect(err).toBeInstanceOf(ExporterError);
      expect(err.code).toBe("not_migrated");
    } finally {
      await sql`ALTER TABLE public.note_comments_text_away RENAME TO note_comments_text`;
    }
    expect(realpathSync(out)).toBe(version);
    expect(new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]))).toEqual(before);
    expect(readdirSync(root).filter((n) => n.startsWith("notes-by-country.v-")).length).toBe(1);
  });
});
