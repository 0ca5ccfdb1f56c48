import type { TestDatabase } from "./test-database.ts";

/** Writes note 1 tagged with the writer (in its id_country) and returns what the file sees. */
export async function writeIsolationRows(db: TestDatabase, writer: "A" | "B") {
  const tag = writer === "A" ? 1 : 2;
  await db.sql`INSERT INTO notes (note_id, latitude, longitude, created_at, status, id_country)
               VALUES (1, 0, 0, '2020-01-01', 'open', ${tag})`;
  const rows = await db.sql<{ note_id: number; status: string; id_country: number }[]>`SELECT note_id, status::text, id_country FROM notes`;
  return rows.map((r) => ({ note_id: r.note_id, status: r.status, writer: r.id_country === 1 ? "A" : "B" }));
}
