import type { TransactionSql } from "postgres";

// What a backup holds, read from the catalog rather than listed by hand, so a table a later
// migration adds is backed up without touching this code.

export interface CatalogTable {
  /** Schema-qualified, quoted: `dwh."facts"`. */
  name: string;
  table: string;
  /** Columns COPY writes (generated columns excluded: the server computes them). */
  columns: string[];
}

export interface CatalogPartition {
  table: string;
  parent: string;
  /** `FOR VALUES FROM (…) TO (…)` or `DEFAULT`. */
  bound: string;
}

export interface CatalogSequence {
  sequence: string;
}

/** Tables of schema dwh (partitioned parents, not their partitions), parents before children. */
export async function dwhTables(sql: TransactionSql<any>): Promise<CatalogTable[]> {
  const rows = await sql<{ oid: number; relname: string; columns: string[] }[]>`
    SELECT c.oid::int AS oid, c.relname,
           array(SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                 ORDER BY a.attnum) AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'dwh' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname <> 'schema_migrations'
    ORDER BY c.relname`;
  const edges = await sql<{ child: number; parent: number }[]>`
    SELECT DISTINCT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint
    WHERE contype = 'f' AND connamespace = 'dwh'::regnamespace AND conrelid <> confrelid`;
  // Kahn's algorithm, ties by name: a referenced table is loaded before the tables referring to it.
  const byOid = new Map(rows.map((r) => [r.oid, r]));
  const waiting = new Map(rows.map((r) => [r.oid, new Set<number>()]));
  for (const e of edges) if (byOid.has(e.parent) && byOid.has(e.child)) waiting.get(e.child)!.add(e.parent);
  const ordered: CatalogTable[] = [];
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([oid]) => byOid.get(oid)!);
    if (ready.length === 0) throw new Error(`circular foreign keys among ${[...waiting.keys()].map((o) => byOid.get(o)!.relname).join(", ")}`);
    ready.sort((a, b) => a.relname.localeCompare(b.relname));
    for (const r of ready) {
      ordered.push({ name: `dwh.${quoteIdent(r.relname)}`, table: r.relname, columns: r.columns });
      waiting.delete(r.oid);
      for (const deps of waiting.values()) deps.delete(r.oid);
    }
  }
  return ordered;
}

/** Partitions of dwh's partitioned tables (the ETL creates one per year as data arrives). */
export async function dwhPartitions(sql: TransactionSql<any>): Promise<CatalogPartition[]> {
  return sql<CatalogPartition[]>`
    SELECT c.relname AS table, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE c.relnamespace = 'dwh'::regnamespace AND c.relispartition
    ORDER BY p.relname, c.relname`;
}

export async function dwhSequences(sql: TransactionSql<any>): Promise<string[]> {
  const rows = await sql<{ relname: string }[]>`
    SELECT relname FROM pg_class WHERE relnamespace = 'dwh'::regnamespace AND relkind = 'S' ORDER BY relname`;
  return rows.map((r) => r.relname);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
