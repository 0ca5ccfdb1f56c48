import type { Sql } from "postgres";
import { dwhStatus } from "@osm-notes/dwh-sql";
import { EtlError } from "./etl-error.ts";

const BASE_TABLES = ["notes", "note_comments", "note_comments_text", "users", "countries"] as const;

/**
 * What a run needs before it starts (dwh-etl §7.1): the dwh migrated to this version, the
 * five base tables, and `base_load_complete = true` in public.properties.
 */
export async function checkPreconditions(dwh: Sql<{}>, ingestion: Sql<{}>): Promise<void> {
  const status = await dwhStatus(dwh);
  if (!status.compatible || status.pending.length > 0) {
    throw new EtlError("schema_outdated",
      `The dwh schema is not ready (version ${status.schemaVersion ?? "none"}, expected ${status.expectedVersion}; ${status.pending.length} pending migration(s))`,
      "Run `osm-notes-analytics migrate` first.");
  }
  const rows = await ingestion<{ name: string; kind: string | null }[]>`
    SELECT t.name, c.relkind::text AS kind
    FROM unnest(${BASE_TABLES as unknown as string[]}::text[]) AS t(name)
    LEFT JOIN pg_class c ON c.relname = t.name AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'f')`;
  const missing = rows.filter((r) => r.kind === null).map((r) => `public.${r.name}`);
  if (missing.length > 0) {
    throw new EtlError("base_tables_missing", `The base tables are missing: ${missing.join(", ")}`,
      "Load them with OSM-Notes-Ingestion, or from a planet notes dump with `osm-notes-analytics load-planet FILE`.");
  }
  const [flag] = await ingestion<{ complete: boolean | null }[]>`
    SELECT CASE WHEN to_regclass('public.properties') IS NULL THEN NULL
                ELSE (SELECT lower(trim(value)) = 'true' FROM public.properties WHERE key = 'base_load_complete') END AS complete`;
  if (!flag?.complete) {
    throw new EtlError("base_load_incomplete", "The base load is not complete (public.properties base_load_complete is not 'true')",
      "Wait for OSM-Notes-Ingestion to finish its planet load; for a test or API-only database insert the row: " +
        "INSERT INTO public.properties (key, value) VALUES ('base_load_complete', 'true').");
  }
}
