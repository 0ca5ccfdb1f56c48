// Pure mappings from the dwh's jsonb year families (datamarts-export §14) to the legacy keys
// of the published documents. The database part of the export calls these per row, so the
// flattening is tested here, without PostgreSQL.
import type { CountryYearKeys } from "./country-profile.ts";
import type { UserYearKeys } from "./user-profile.ts";

const ACTIONS = ["open", "commented", "closed", "closed_with_comment", "reopened"] as const;
type YearHistory = Partial<Record<(typeof ACTIONS)[number], number | null>>;
type HistoryByYear = Record<string, YearHistory>;

interface CountryRankItem {
  rank: number;
  country_name?: string | null;
  country?: string | null;
  quantity: number;
}
interface UserRankItem {
  rank: number;
  username: string | null;
  quantity: number;
}

function yearsOf(...families: Array<Record<string, unknown> | null | undefined>): string[] {
  const years = new Set<string>();
  for (const f of families) for (const y of Object.keys(f ?? {})) if (/^\d{4}$/.test(y)) years.add(y);
  return [...years].sort();
}

function historyKeys(out: Record<string, unknown>, year: string, h: YearHistory | undefined): void {
  for (const a of ACTIONS) out[`history_${year}_${a}`] = h?.[a] ?? 0;
}

/**
 * history_YYYY_* and ranking_countries_{opening,closing}_YYYY for every year with data. Items
 * get `country` (what the Viewer reads) besides `country_name` (what the original published).
 */
export function userYearKeys(row: {
  history_by_year: HistoryByYear;
  ranking_countries_opening_by_year: Record<string, CountryRankItem[]>;
  ranking_countries_closing_by_year: Record<string, CountryRankItem[]>;
}): UserYearKeys {
  const out: Record<string, unknown> = {};
  const item = (i: CountryRankItem) => {
    const name = i.country_name ?? i.country ?? "";
    return { rank: i.rank, country: name, country_name: name, quantity: i.quantity };
  };
  for (const year of yearsOf(row.history_by_year, row.ranking_countries_opening_by_year, row.ranking_countries_closing_by_year)) {
    historyKeys(out, year, row.history_by_year[year]);
    out[`ranking_countries_opening_${year}`] = (row.ranking_countries_opening_by_year[year] ?? []).map(item);
    out[`ranking_countries_closing_${year}`] = (row.ranking_countries_closing_by_year[year] ?? []).map(item);
  }
  return out as UserYearKeys;
}

/** history_YYYY_* and ranking_users_{opening,closing}_YYYY for every year with data. */
export function countryYearKeys(row: {
  history_by_year: HistoryByYear;
  ranking_users_opening_by_year: Record<string, UserRankItem[]>;
  ranking_users_closing_by_year: Record<string, UserRankItem[]>;
}): CountryYearKeys {
  const out: Record<string, unknown> = {};
  const item = (i: UserRankItem) => ({ rank: i.rank, username: i.username ?? "", quantity: i.quantity });
  for (const year of yearsOf(row.history_by_year, row.ranking_users_opening_by_year, row.ranking_users_closing_by_year)) {
    historyKeys(out, year, row.history_by_year[year]);
    out[`ranking_users_opening_${year}`] = (row.ranking_users_opening_by_year[year] ?? []).map(item);
    out[`ranking_users_closing_${year}`] = (row.ranking_users_closing_by_year[year] ?? []).map(item);
  }
  return out as CountryYearKeys;
}

type Action = "open" | "commented" | "closed" | "reopened";
export type NoteIdSpellings = {
  [A in Action as `latest_${A}_note_id` | `lastest_${A}_note_id`]: number | null;
};

/** latest_* ids plus the original's `lastest_*` spelling, which the Viewer reads. */
export function noteIdsWithBothSpellings(row: { [A in Action as `latest_${A}_note_id`]: number | null }): NoteIdSpellings {
  return {
    latest_open_note_id: row.latest_open_note_id,
    latest_commented_note_id: row.latest_commented_note_id,
    latest_closed_note_id: row.latest_closed_note_id,
    latest_reopened_note_id: row.latest_reopened_note_id,
    lastest_open_note_id: row.latest_open_note_id,
    lastest_commented_note_id: row.latest_commented_note_id,
    lastest_closed_note_id: row.latest_closed_note_id,
    lastest_reopened_note_id: row.latest_reopened_note_id,
  };
}
