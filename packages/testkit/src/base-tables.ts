import { fileURLToPath } from "node:url";
import type { TransactionSql } from "postgres";
import type { Sql } from "./connect.ts";

const ingestionSqlDir = fileURLToPath(new URL("../../../sql/ingestion/", import.meta.url));

/** The base-table contract DDL (sql/ingestion/ at the repository root). */
export const baseTablesSqlPath = `${ingestionSqlDir}base-tables.sql`;
const baseIndexesSqlPath = `${ingestionSqlDir}base-indexes.sql`;
const dropBaseIndexesSqlPath = `${ingestionSqlDir}drop-base-indexes.sql`;

type Queryable = Pick<Sql, "file">;

/** Creates the OSM-Notes-Ingestion base tables, constraints and indexes when missing (idempotent). */
export async function applyBaseTables(sql: Queryable): Promise<void> {
  // No parameters: postgres.js sends each whole file as one simple-protocol query.
  await sql.file(baseTablesSqlPath);
  await sql.file(baseIndexesSqlPath);
}

/** Creates the base tables without constraints and indexes (idempotent). */
export async function applyBaseTablesOnly(sql: Queryable): Promise<void> {
  await sql.file(baseTablesSqlPath);
}

/** Drops constraints and indexes of the base tables, for a bulk load into empty tables. */
export async function dropBaseIndexes(sql: Queryable): Promise<void> {
  await sql.file(dropBaseIndexesSqlPath);
}

/** (Re)creates the constraints and indexes of the base tables; validates loaded rows. */
export async function applyBaseIndexes(sql: Queryable): Promise<void> {
  await sql.file(baseIndexesSqlPath);
}

/** Marks the base load complete, as Ingestion does after a planet load (the ETL requires it). */
export async function markBaseLoadComplete(sql: Sql | TransactionSql<{}>): Promise<void> {
  await sql`
    INSERT INTO public.properties (key, value) VALUES ('base_load_complete', 'true')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = CURRENT_TIMESTAMP`;
}
