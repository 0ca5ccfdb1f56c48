import { type CheckContext, NOW_UTC } from "../check-context.ts";
import { durationText } from "../human-units.ts";

const PARTITION = /^facts_(\d{4}|default)$/;

/**
 * `dwh_freshness`: age of the newest action in dwh.facts. Cheap with or without the fact indexes
 * (they are dropped during a first load): walk the year partitions from the newest and stop at
 * the first non-empty one, plus facts_default, which should be empty anyway.
 */
export async function checkFactsFreshness({ sql, thresholds, report }: CheckContext): Promise<void> {
  const partitions = await sql<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'dwh.facts'::regclass ORDER BY c.relname DESC`;
  const names = partitions.map((p) => p.name).filter((n) => PARTITION.test(n));
  const years = names.filter((n) => n !== "facts_default");
  let newest: { epoch: number; age: number } | undefined;
  for (const name of ["facts_default", ...years]) {
    if (!names.includes(name)) continue;
    const [row] = await sql.unsafe<{ epoch: number | null; age: number | null }[]>(
      `SELECT extract(epoch FROM max(action_at))::float8 AS epoch,
              extract(epoch FROM ${NOW_UTC} - max(action_at))::float8 AS age
       FROM dwh."${name}"`,
    );
    if (row?.epoch != null && row.age != null && (!newest || row.epoch > newest.epoch)) newest = { epoch: row.epoch, age: row.age };
    if (name !== "facts_default" && row?.epoch != null) break;
  }
  if (!newest) {
    report.check({ name: "dwh_freshness", status: "critical", message: "dwh.facts is empty: no ETL run has loaded any note action yet" });
    return;
  }
  const age = Math.max(0, newest.age);
  report.metric("analytics_dwh_freshness_seconds", "Seconds since the newest note action loaded into dwh.facts", age);
  report.metric("osm_notes_analytics_facts_newest_action_timestamp_seconds", "Unix time of the newest action in dwh.facts", newest.epoch);
  report.level("dwh_freshness", age, thresholds.dwhFreshnessSeconds,
    `newest action in dwh.facts is ${durationText(age)} old (${new Date(newest.epoch * 1000).toISOString()})`);
}
