import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExporterError } from "../exporter-error.ts";
import { CLOSED_NOTES_CSV_COLUMNS, type ClosedNoteCsvRow } from "./closed-notes-columns.ts";
import { csvField, writeCsvFile } from "./csv-writer.ts";
import { parseCsv } from "../../test/parse-csv.ts";

const dir = mkdtempSync(join(tmpdir(), "exporter-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* rowsOf(rows: ClosedNoteCsvRow[]): AsyncIterable<ClosedNoteCsvRow> {
  for (const r of rows) yield r;
}

const tricky: ClosedNoteCsvRow = [
  3191052, "Côte d'Ivoire", 43.7328986, 7.4186978, "2022-05-23 10:11:12", "2025-10-18 04:48:48", 1241,
  'Benoît "Ben" Friry', "line one\nline two\r\nline three, with comma", 3, 1, "🦄 mapper",
  'He said "done", closed.',
];

describe("writeCsvFile", () => {
  test("the header is the original's 13 columns", async () => {
    const published = readFileSync("/work/shared/data/published/csv/notes-by-country/1124039_monaco.csv", "utf8");
    expect(published.split("\n")[0]).toBe(CLOSED_NOTES_CSV_COLUMNS.join(","));
  });

  test("RFC 4180 quoting, UTF-8, newlines inside fields preserved, CRLF records", async () => {
    const path = join(dir, "tricky.csv");
    const plain: ClosedNoteCsvRow = [1, "Monaco", 1.5, -2.25, "2024-01-01 00:00:01", "2024-01-02 00:00:00", 0, "a", "", 1, 0, "b", "ok"];
    const report = await writeCsvFile(path, rowsOf([tricky, plain]));
    expect(report.rows).toBe(2);
    const bytes = readFileSync(path);
    expect(report.bytes).toBe(bytes.byteLength);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const records = parseCsv(text);
    expect(records[0]).toEqual([...CLOSED_NOTES_CSV_COLUMNS]);
    expect(records[1]).toEqual(tricky.map(String));
    expect(records[2]).toEqual(plain.map(String));
    expect(text).toContain('"line one\nline two\r\nline three, with comma"');
    expect(text).toContain('"Benoît ""Ben"" Friry"');
    expect(text.endsWith("\r\n")).toBe(true);
  });

  test("fields: null is empty, booleans are 1/0, NaN is refused", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(true)).toBe("1");
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a"b')).toBe('"a""b"');
    expect(() => csvField(Number.NaN)).toThrow(ExporterError);
  });

  test("a row with the wrong number of values fails and leaves no file", async () => {
    const path = join(dir, "short.csv");
    const err = await writeCsvFile(path, [[1, 2, 3]]).catch((e: unknown) => e);
    expect((err as ExporterError).code).toBe("invalid_csv_row");
    expect(readdirSync(dir).filter((n) => n.includes("short"))).toEqual([]);
  });

  test("a row source failing mid-stream keeps the previous file intact", async () => {
    const path = join(dir, "keep.csv");
    writeFileSync(path, "previous");
    async function* failing(): AsyncIterable<ClosedNoteCsvRow> {
      yield tricky;
      throw new Error("connection lost");
    }
    await expect(writeCsvFile(path, failing())).rejects.toThrow("connection lost");
    expect(readFileSync(path, "utf8")).toBe("previous");
    expect(readdirSync(dir).filter((n) => n.includes("keep"))).toEqual(["keep.csv"]);
  });

  test("streams 100 000 rows", async () => {
    function* many(): Iterable<ClosedNoteCsvRow> {
      for (let i = 0; i < 100_000; i++) yield [i, "X", 0, 0, "2024-01-01 00:00:00", "2024-01-01 00:00:00", 0, "u", "c", 1, 0, "u", "c"];
    }
    const report = await writeCsvFile(join(dir, "many.csv"), many());
    expect(report.rows).toBe(100_000);
    expect(readFileSync(join(dir, "many.csv"), "utf8").split("\r\n").length).toBe(100_002);
  });
});
