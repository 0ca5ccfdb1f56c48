import type { Sql } from "postgres";

export interface RankedEntity {
  name: string;
  opened: number;
  closed: number;
  commented: number;
}

export interface WarehouseSummary {
  notes: number;
  openNotes: number;
  actions: number;
  users: number;
  countries: number;
  firstAction: string | null;
  lastAction: string | null;
  /** By notes opened + closed, then name. */
  topUsers: RankedEntity[];
  topCountries: RankedEntity[];
}

/** What the warehouse holds, for the demo's closing summary and operators' quick looks. */
export async function warehouseSummary(sql: Sql<any>, options: { top?: number } = {}): Promise<WarehouseSummary> {
  const top = options.top ?? 5;
  const [counts] = await sql<Omit<WarehouseSummary, "topUsers" | "topCountries">[]>`
    SELECT (SELECT count(*)::int FROM dwh.note_current_status) AS "notes",
           (SELECT count(*)::int FROM dwh.note_current_status WHERE is_currently_open) AS "openNotes",
           (SELECT count(*)::int FROM dwh.facts) AS "actions",
           (SELECT count(*)::int FROM dwh.datamartusers) AS "users",
           (SELECT count(*)::int FROM dwh.datamartcountries) AS "countries",
           (SELECT to_char(min(action_at), 'YYYY-MM-DD HH24:MI') FROM dwh.facts) AS "firstAction",
           (SELECT to_char(max(action_at), 'YYYY-MM-DD HH24:MI') FROM dwh.facts) AS "lastAction"`;
  const topUsers = await sql<RankedEntity[]>`
    SELECT coalesce(username, '#' || user_id) AS name, history_whole_open AS opened, history_whole_closed AS closed,
           history_whole_commented AS commented
    FROM dwh.datamartusers
    ORDER BY history_whole_open + history_whole_closed DESC, name LIMIT ${top}`;
  const topCountries = await sql<RankedEntity[]>`
    SELECT coalesce(country_name_en, country_name, '#' || country_id) AS name, history_whole_open AS opened,
           history_whole_closed AS closed, history_whole_commented AS commented
    FROM dwh.datamartcountries
    ORDER BY history_whole_open + history_whole_closed DESC, name LIMIT ${top}`;
  return { ...counts!, topUsers: [...topUsers], topCountries: [...topCountries] };
}
