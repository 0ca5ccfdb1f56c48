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

/** The 4-digit year keys of some families, ascending. */
function yearsOf(a: object | null | undefined, b: object | null | undefined, c: object | null | undefined): string[] {
  const years: string[] = [];
  for (const f of [a, b, c]) {
    if (f === null || f === undefined) continue;
    for (const y of Object.keys(f)) if (isYear(y) && !years.includes(y)) years.push(y);
  }
  return years.sort();
}
const isYear = (k: string): boolean => k.length === 4 && /^\d{4}$/.test(k);

/** One year's key names, made once per year and kind: fresh key strings per row cost a lookup each. */
interface YearKeyNames {
  history: string[];
  opening: string;
  closing: string;
}
function keyNames(cache: Map<string, YearKeyNames>, ranking: string, year: string): YearKeyNames {
  let names = cache.get(year);
  if (names === undefined) {
    names = {
      history: ACTIONS.map((a) => `history_${year}_${a}`),
      opening: `${ranking}_opening_${year}`,
      closing: `${ranking}_closing_${year}`,
    };
    cache.set(year, names);
  }
  return names;
}
const userKeyNames = new Map<string, YearKeyNames>();
const countryKeyNames = new Map<string, YearKeyNames>();

function historyKeys(out: Record<string, unknown>, names: string[], h: YearHistory | undefined): void {
  for (let i = 0; i < ACTIONS.length; i++) out[names[i]!] = h?.[ACTIONS[i]!] ?? 0;
}

function countryItem(i: CountryRankItem) {
  const name = i.country_name ?? i.country ?? "";
  return { rank: i.rank, country: name, country_name: name, quantity: i.quantity };
}
const userItem = (i: UserRankItem) => ({ rank: i.rank, username: i.username ?? "", quantity: i.quantity });

/** Every year's keys of one kind of document, added to `out` (a document being built: no copy of its keys). */
function addYearKeys<I>(
  out: Record<string, unknown>,
  names: Map<string, YearKeyNames>,
  ranking: string,
  history: HistoryByYear,
  opening: Record<string, I[]>,
  closing: Record<string, I[]>,
  item: (i: I) => unknown,
): Record<string, unknown> {
  for (const year of yearsOf(history, opening, closing)) {
    const keys = keyNames(names, ranking, year);
    historyKeys(out, keys.history, history[year]);
    out[keys.opening] = (opening[year] ?? []).map(item);
    out[keys.closing] = (closing[year] ?? []).map(item);
  }
  return out;
}

/**
 * history_YYYY_* and ranking_countries_{opening,closing}_YYYY for every year with data. Items
 * get `country` (what the Viewer reads) besides `country_name` (what the original published).
 * Added to `out`, which is returned.
 */
export function userYearKeys(
  row: {
    history_by_year: HistoryByYear;
    ranking_countries_opening_by_year: Record<string, CountryRankItem[]>;
    ranking_countries_closing_by_year: Record<string, CountryRankItem[]>;
  },
  out: Record<string, unknown> = {},
): UserYearKeys {
  return addYearKeys(out, userKeyNames, "ranking_countries", row.history_by_year, row.ranking_countries_opening_by_year, row.ranking_countries_closing_by_year, countryItem) as UserYearKeys;
}

/** history_YYYY_* and ranking_users_{opening,closing}_YYYY for every year with data (added to `out`). */
export function countryYearKeys(
  row: {
    history_by_year: HistoryByYear;
    ranking_users_opening_by_year: Record<string, UserRankItem[]>;
    ranking_users_closing_by_year: Record<string, UserRankItem[]>;
  },
  out: Record<string, unknown> = {},
): CountryYearKeys {
  return addYearKeys(out, countryKeyNames, "ranking_users", row.history_by_year, row.ranking_users_opening_by_year, row.ranking_users_closing_by_year, userItem) as CountryYearKeys;
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
