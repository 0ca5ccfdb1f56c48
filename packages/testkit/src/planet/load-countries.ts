import { createReadStream, existsSync, openSync, readSync, closeSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { TransactionSql } from "postgres";
import { TestkitError } from "../testkit-error.ts";

type Tx = TransactionSql<{}>;

/**
 * Upserts `public.countries` from a CSV whose header names country_id, country_name,
 * country_name_es and country_name_en (other columns are ignored). Returns rows upserted.
 */
export async function loadCountriesCsv(tx: Tx, path: string): Promise<number> {
  const cols = await stageCsv(tx, path, "osmn_countries_csv", ["country_id", "country_name", "country_name_es", "country_name_en"]);
  const result = await tx.unsafe(`
    INSERT INTO public.countries (country_id, country_name, country_name_es, country_name_en)
    SELECT ${cols.country_id}::int, ${cols.country_name}, NULLIF(${cols.country_name_es}, ''), NULLIF(${cols.country_name_en}, '')
    FROM osmn_countries_csv
    ON CONFLICT (country_id) DO UPDATE
    SET country_name = EXCLUDED.country_name, country_name_es = EXCLUDED.country_name_es,
        country_name_en = EXCLUDED.country_name_en`);
  return result.count;
}

/**
 * Sets `notes.id_country` from a CSV with columns note_id and id_country (or
 * country_id_derived / country_id, as in shared/data/derived). An empty id leaves NULL.
 * Returns how many notes got a country.
 */
export async function loadNoteCountriesCsv(tx: Tx, path: string): Promise<number> {
  const cols = await stageCsv(tx, path, "osmn_note_countries_csv", ["note_id", ["id_country", "country_id_derived", "country_id"]]);
  await tx.unsafe(`
    UPDATE public.notes n
    SET id_country = NULLIF(s.${cols.id_country}, '')::int
    FROM osmn_note_countries_csv s
    WHERE n.note_id = s.${cols.note_id}::int
      AND n.id_country IS DISTINCT FROM NULLIF(s.${cols.id_country}, '')::int`);
  const [assigned] = await tx.unsafe<{ n: number }[]>(`
    SELECT count(*)::int AS n FROM public.notes n JOIN osmn_note_countries_csv s ON n.note_id = s.${cols.note_id}::int
    WHERE n.id_country IS NOT NULL`);
  return assigned!.n;
}

type Wanted = string | readonly string[];

/**
 * COPYs a CSV into a text-typed temp table with columns c1…cN (file headers never become SQL
 * text) and returns, for each wanted name, the column that holds it.
 */
async function stageCsv(tx: Tx, path: string, table: string, wanted: readonly Wanted[]): Promise<Record<string, string>> {
  if (!existsSync(path)) throw new TestkitError("input_missing", `No such file: ${path}`, "Check the CSV path.");
  const header = firstLine(path).split(",").map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  const mapping: Record<string, string> = {};
  for (const want of wanted) {
    const names = typeof want === "string" ? [want] : want;
    const index = header.findIndex((h) => names.includes(h));
    if (index < 0) {
      throw new TestkitError("csv_malformed", `${path}: the header has no column ${names.join(" or ")} (found: ${header.join(", ")})`,
        "The first line must name the columns.");
    }
    mapping[names[0]!] = `c${index + 1}`;
  }
  const columns = header.map((_, i) => `c${i + 1} text`).join(", ");
  await tx.unsafe(`CREATE TEMP TABLE ${table} (${columns}) ON COMMIT DROP`);
  const writable = await tx.unsafe(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`).writable();
  await pipeline(createReadStream(path), writable);
  return mapping;
}

function firstLine(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8").split(/\r?\n/)[0] ?? "";
  } finally {
    closeSync(fd);
  }
}
