// Profile rows read as plain columns must give exactly the object row_to_json gives: both are
// read here from the same rows of a real server, for every column type the decoder knows and
// its edge values (NULL, negatives, fractions, infinities, non-ASCII, escapes).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { ExporterError } from "../exporter-error.ts";
import { decodeRow, packCells, profileColumns } from "./_row-cells.ts";

let db: TestDatabase;
let sql: Sql;

beforeAll(async () => {
  db = await freshDatabase();
  sql = db.sql;
  await sql.unsafe(`
    CREATE TABLE cells (
      id integer, small smallint, big bigint, amount numeric(10,2), ratio numeric, day date, at timestamp,
      name varchar(50), padded character(5), note text, doc jsonb, plain json, flag boolean)`);
  await sql.unsafe(`
    INSERT INTO cells VALUES
      (1, -7, 9007199254740991, -12.50, 0.333333333333, '2024-02-29', '2024-02-29 23:59:59.123456',
       'Zürich 東京 🚀', 'ab', E'quote " back\\\\ tab \\t newline \\n', '{"b": [1, 2.50, null], "a": "é\\"x", "n": {"k": true}}',
       '{"z": 1, "a": [ 1 ,2 ]}', true),
      (2, 0, -1, 0, 'NaN', 'infinity', 'infinity', '', 'abcde', '', '[]', 'null', false),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (4, 32767, 0, 99999999.99, -0.000001, '0001-01-01', '1970-01-01 00:00:00', 'x', NULL, NULL, '{"a": 1}', '{}', NULL)`);
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

/** Both forms of the table's rows, read in one transaction with the session's DateStyle unlike ISO. */
async function bothForms(): Promise<{ expected: string[]; decoded: string[]; names: Array<[string | null, string | null]> }> {
  return sql.begin(async (tx) => {
    await tx.unsafe("SET LOCAL DateStyle = 'SQL, DMY'");
    const json = await tx.unsafe<{ row: string }[]>("SELECT row_to_json(c)::text AS row FROM cells c ORDER BY id");
    await tx.unsafe("SET LOCAL DateStyle = 'ISO, YMD'"); // as the export's transaction does
    const raw = await tx.unsafe("SELECT c.*, 'Mapeador' AS type_name, NULL::text AS type_name_en FROM cells c ORDER BY id").raw();
    const columns = profileColumns((raw as unknown as { columns: Array<{ name: string; type: number }> }).columns);
    const cells = packCells(raw as unknown as Array<Array<Uint8Array | null>>, columns.length);
    const decoded: string[] = [];
    const names: Array<[string | null, string | null]> = [];
    for (let i = 0; i < raw.length; i++) {
      const d = decodeRow(columns, cells, i);
      decoded.push(JSON.stringify(d.row));
      names.push([d.name, d.nameEn]);
    }
    return { expected: json.map((r) => JSON.stringify(JSON.parse(r.row))), decoded, names };
  });
}

describe("profile rows read as columns", () => {
  test("give row_to_json's object: same keys in the same order, same values, for every type", async () => {
    const { expected, decoded, names } = await bothForms();
    expect(decoded.length).toBe(4);
    expect(decoded).toEqual(expected);
    expect(names).toEqual(Array(4).fill(["Mapeador", null]));
    const first = JSON.parse(decoded[0]!);
    expect(first.at).toBe("2024-02-29T23:59:59.123456");
    expect(first.name).toBe("Zürich 東京 🚀");
    expect(JSON.parse(decoded[1]!).ratio).toBe("NaN");
  });

  test("cells held in separate buffers are packed cell by cell, with the same result", async () => {
    const raw = (await sql.unsafe("SELECT c.*, NULL::text AS type_name, 'Mapper' AS type_name_en FROM cells c ORDER BY id").raw()) as unknown as Array<Array<Uint8Array | null>>;
    const columns = profileColumns((raw as unknown as { columns: Array<{ name: string; type: number }> }).columns);
    const copied = raw.map((row) => row.map((cell) => (cell === null ? null : Uint8Array.from(cell))));
    const a = packCells(raw, columns.length);
    const b = packCells(copied, columns.length);
    // Copied from the messages, or written out cell by cell: the same bytes.
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect([...b.rowStarts]).toEqual([...a.rowStarts]);
    for (let i = 0; i < raw.length; i++) expect(decodeRow(columns, b, i)).toEqual(decodeRow(columns, a, i));
  });

  test("cells that do not match their columns are an error, not a wrong row", async () => {
    const raw = (await sql.unsafe("SELECT c.*, NULL::text AS type_name, NULL::text AS type_name_en FROM cells c WHERE id = 4").raw()) as unknown as Array<Array<Uint8Array | null>>;
    const columns = profileColumns((raw as unknown as { columns: Array<{ name: string; type: number }> }).columns);
    const packed = packCells(raw, columns.length);
    expect(() => decodeRow(columns.slice(1), packed, 0)).toThrow(/does not hold its columns' cells/);
    const cut = { bytes: packed.bytes.subarray(0, packed.bytes.byteLength - 1), rowStarts: Int32Array.from([0, packed.bytes.byteLength - 1]) };
    expect(() => decodeRow(columns, cut, 0)).toThrow(/does not hold its columns' cells/);
  });

  test("a column type it does not read, or names not last, fail before any row is read", async () => {
    const described = async (query: string) =>
      (await sql.unsafe(query).raw()) as unknown as { columns: Array<{ name: string; type: number }> };
    const withZone = await described("SELECT now() AS at, 1 AS type_name, 2 AS type_name_en");
    expect(() => profileColumns(withZone.columns)).toThrow(ExporterError);
    expect(() => profileColumns(withZone.columns)).toThrow(/at has a column type/);
    const namesFirst = await described("SELECT 'a' AS type_name, 'b' AS type_name_en, 1 AS id");
    expect(() => profileColumns(namesFirst.columns)).toThrow(/last columns are type_name_en, id/);
    expect(() => profileColumns(undefined)).toThrow(/no column description/);
  });
});
