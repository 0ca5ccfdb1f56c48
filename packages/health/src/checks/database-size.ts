import type { CheckContext } from "../check-context.ts";
import { bytesText } from "../human-units.ts";

/** `database_size` (pg_database_size) and `facts_size` (every fact partition with its indexes). */
export async function checkDatabaseSize({ sql, thresholds, report }: CheckContext): Promise<void> {
  const [row] = await sql<{ database: number; facts: number }[]>`
    SELECT pg_database_size(current_database())::float8 AS database,
           (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('dwh.facts'::regclass))::float8 AS facts`;
  const database = row?.database ?? 0;
  const facts = row?.facts ?? 0;
  report.metric("osm_notes_analytics_database_size_bytes", "Size of the analytics database (pg_database_size), bytes", database);
  report.metric("analytics_db_facts_total_size_bytes", "Size of dwh.facts, all partitions with indexes, bytes", facts);
  report.level("database_size", database, thresholds.databaseSizeBytes, `database size ${bytesText(database)}`);
  report.level("facts_size", facts, thresholds.factsSizeBytes, `dwh.facts with indexes ${bytesText(facts)}`);
}
