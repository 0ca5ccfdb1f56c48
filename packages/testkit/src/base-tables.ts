import { fileURLToPath } from "node:url";
import type { Sql } from "./connect.ts";

/** The base-table contract DDL (sql/ingestion/base-tables.sql at the repository root). */
export const baseTablesSqlPath = fileURLToPath(new URL("../../../sql/ingestion/base-tables.sql", import.meta.url));

/** Creates the OSM-Notes-Ingestion base tables when missing (idempotent). */
export async function applyBaseTables(sql: Sql): Promise<void> {
  // No parameters: postgres.js sends the whole file as one simple-protocol query.
  await sql.file(baseTablesSqlPath);
}

/** Marks the base load complete, as Ingestion does after a planet load (the ETL requires it). */
export async function markBaseLoadComplete(sql: Sql): Promise<void> {
  await sql`
    INSERT INTO public.properties (key, value) VALUES ('base_load_complete', 'true')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = CURRENT_TIMESTAMP`;
}
