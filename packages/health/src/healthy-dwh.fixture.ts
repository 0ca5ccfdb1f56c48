// A small warehouse in a healthy state, filled by hand relative to the current time: base tables
// and facts in step (so MON-001/MON-002/DWH-00x pass), datamart rows, one successful ETL run.
import { migrate } from "@osm-notes/dwh-sql";
import { applyBaseTables, type Sql } from "@osm-notes/testkit";

export const dwhTemplate = {
  name: "dwh",
  prepare: async (sql: Sql) => {
    await applyBaseTables(sql);
    await migrate(sql);
  },
};

/** UTC wall-clock `minutes` ago, as the dwh's timestamp columns hold it. */
export function minutesAgo(minutes: number, from = Date.now()): string {
  return new Date(from - minutes * 60_000).toISOString().replace("T", " ").replace("Z", "");
}

// note, sequence, event, minutes ago:  1 opened/commented/closed, 2 opened/closed/reopened, 3 opened.
const ACTIONS: [number, number, string, number][] = [
  [1, 1, "opened", 50], [1, 2, "commented", 40], [1, 3, "closed", 30],
  [2, 1, "opened", 45], [2, 2, "closed", 35], [2, 3, "reopened", 25],
  [3, 1, "opened", 20],
];

export async function fillHealthyDwh(sql: Sql): Promise<void> {
  // One base time, so facts and note_current_status agree to the microsecond.
  const base = Date.now();
  const ago = (m: number) => minutesAgo(m, base);
  for (const note of [1, 2, 3]) {
    const opened = ACTIONS.find(([n, s]) => n === note && s === 1)![3];
    await sql`INSERT INTO public.notes (note_id, latitude, longitude, created_at) VALUES (${note}, 1, 1, ${ago(opened)})`;
  }
  for (const [note, seq, event, mins] of ACTIONS) {
    const at = ago(mins);
    await sql`INSERT INTO public.note_comments (note_id, sequence_action, event, created_at) VALUES (${note}, ${seq}, ${event}, ${at})`;
    await sql`
      INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
        action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
        opened_dimension_id_date, opened_dimension_id_hour_of_week)
      SELECT ${note}, ${seq}, c.dimension_country_id, ${at}::timestamp, ${event},
             dwh.get_date_id(${at}::timestamp), dwh.get_hour_of_week_id(${at}::timestamp), u.dimension_user_id,
             dwh.get_date_id(n.created_at), dwh.get_hour_of_week_id(n.created_at)
      FROM dwh.dimension_countries c, dwh.dimension_users u, public.notes n
      WHERE c.country_id = -1 AND u.user_id = -1 AND n.note_id = ${note}`;
  }
  // With the context the ETL keeps per note (opened at, first comment, last reopening: DWH-005).
  for (const [note, open, mins, event, opened, firstComment, lastReopen] of [
    [1, false, 30, "closed", 50, 2, null], [2, true, 25, "reopened", 45, null, 3], [3, true, 20, "opened", 20, null, null],
  ] as const) {
    await sql`
      INSERT INTO dwh.note_current_status (id_note, dimension_id_country, is_currently_open, last_action_at, last_action_type,
                                           opened_at, first_comment_seq, last_reopen_seq)
      SELECT ${note}, c.dimension_country_id, ${open}, ${ago(mins)}::timestamp, ${event}::note_event_enum,
             ${ago(opened)}::timestamp, ${firstComment}, ${lastReopen}
      FROM dwh.dimension_countries c WHERE c.country_id = -1`;
  }
  await sql`INSERT INTO dwh.datamartusers (user_id, dimension_user_id) VALUES (101, -1), (102, -1)`;
  await sql`INSERT INTO dwh.datamartcountries (country_id, dimension_country_id) VALUES (-1, -1)`;
  // Migration 0018 seeds the single global row; touch it as a datamart run would.
  await sql`INSERT INTO dwh.datamartglobal (dimension_global_id) VALUES (1)
            ON CONFLICT (dimension_global_id) DO UPDATE SET updated_at = now() AT TIME ZONE 'UTC'`;
  await sql`
    INSERT INTO dwh.etl_runs (mode, status, started_at, finished_at, snapshot_max_note_id, facts_inserted, validation)
    VALUES ('first', 'succeeded', ${ago(12)}, ${ago(10)}, 3, ${ACTIONS.length},
            ${sql.json([{ check_name: "MON-001: Notes closed but have reopen after last close", status: "PASS", issue_count: 0 }])})`;
}
