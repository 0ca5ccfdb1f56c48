// Datamart rows (as @osm-notes/dwh-sql parses them) → exported documents. Pure functions: the
// database reader (built elsewhere) selects rows and calls these; everything the Viewer needs
// differently from the table happens here: dates as "YYYY-MM-DD", both note-id spellings,
// per-year families flattened, item objects reduced to their documented keys (the dwh's jsonb
// shapes are loose), names never null.
import type { DatamartCountryRow, DatamartGlobalRow, DatamartUserRow } from "@osm-notes/dwh-sql";
import type { CountryIndexEntry, UserIndexEntry } from "./indexes.ts";
import type { CountryProfile } from "./country-profile.ts";
import type { GlobalStats } from "./global-stats.ts";
import type { UserProfile } from "./user-profile.ts";
import { countryYearKeys, noteIdsWithBothSpellings, userYearKeys } from "./legacy-keys.ts";

type Row<T> = T & Record<string, unknown>;
type Item = Record<string, unknown>;
type Items = ReadonlyArray<Item> | null;

/** A DATE read with TZ=UTC → "YYYY-MM-DD" (strings are passed through). */
function day(d: Date | string | null): string | null {
  if (d === null) return null;
  return typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}
/** A TIMESTAMP (UTC wall clock) → "YYYY-MM-DDTHH:MM:SS"; ISO strings (to_jsonb rows) pass through. */
function stamp(d: Date | string | null): string | null {
  if (d === null) return null;
  return typeof d === "string" ? d.slice(0, 19) : d.toISOString().slice(0, 19);
}
/** No activity yet is 371 zeros, not null: the Viewer calls .split('') on it. */
function activity(s: string | null): string {
  return s ?? "0".repeat(371);
}
function pick(items: Items, map: (i: Item) => Item): Item[] | null {
  return items === null ? null : items.map(map);
}
const n = (v: unknown): number => v as number;
const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

const dateQuantity = (i: Item) => ({ date: day(i.date as string), quantity: n(i.quantity) });
const rankedHashtag = (i: Item) => ({ rank: n(i.rank), hashtag: str(i.hashtag), quantity: n(i.quantity) });
const rankedHashtagCount = (i: Item) => ({ rank: n(i.rank), hashtag: str(i.hashtag), count: n(i.count) });
const rankedCountry = (i: Item) => ({ rank: n(i.rank), country: str(i.country ?? i.country_name), quantity: n(i.quantity) });
const rankedUser = (i: Item) => ({ rank: n(i.rank), username: str(i.username), quantity: n(i.quantity) });
const workingHour = (i: Item) => ({ day_of_week: n(i.day_of_week), hour_of_day: n(i.hour_of_day), count: n(i.count) });
const applicationUse = (i: Item) => ({ app_id: n(i.app_id), app_name: str(i.app_name), count: n(i.count) });
const applicationTrend = (i: Item) => ({
  year: n(i.year),
  applications: pick(i.applications as Items, (a) => ({ ...applicationUse(a), pct: n(a.pct) })),
});
const versionAdoption = (i: Item) => ({
  year: n(i.year),
  versions: pick(i.versions as Items, (v) => ({ version: str(v.version), count: n(v.count), adoption_rate: n(v.adoption_rate) })),
});
const resolutionOfYear = (i: Item) => ({
  year: n(i.year),
  avg_days: i.avg_days as number | null,
  median_days: i.median_days as number | null,
  resolution_rate: i.resolution_rate as number | null,
});
const resolutionOfMonth = (i: Item) => {
  const { year, ...rest } = resolutionOfYear(i);
  return { year, month: n(i.month), ...rest };
};
const ageBucket = (i: Item) => ({ age_range: str(i.age_range), count: n(i.count) });

function sharedMetrics(row: DatamartUserRow | DatamartCountryRow) {
  return {
    avg_days_to_resolution: row.avg_days_to_resolution,
    median_days_to_resolution: row.median_days_to_resolution,
    notes_resolved_count: row.notes_resolved_count,
    notes_still_open_count: row.notes_still_open_count,
    resolution_rate: row.resolution_rate,
    applications_used: pick(row.applications_used, applicationUse),
    most_used_application_id: row.most_used_application_id,
    mobile_apps_count: row.mobile_apps_count,
    desktop_apps_count: row.desktop_apps_count,
    avg_comment_length: row.avg_comment_length,
    comments_with_url_count: row.comments_with_url_count,
    comments_with_url_pct: row.comments_with_url_pct,
    comments_with_mention_count: row.comments_with_mention_count,
    comments_with_mention_pct: row.comments_with_mention_pct,
    avg_comments_per_note: row.avg_comments_per_note,
    active_notes_count: row.active_notes_count,
    notes_backlog_size: row.notes_backlog_size,
    notes_age_distribution: pick(row.notes_age_distribution, ageBucket),
    notes_created_last_30_days: row.notes_created_last_30_days,
    notes_resolved_last_30_days: row.notes_resolved_last_30_days,
    resolution_by_year: pick(row.resolution_by_year, resolutionOfYear),
    resolution_by_month: pick(row.resolution_by_month, resolutionOfMonth),
    application_usage_trends: pick(row.application_usage_trends, applicationTrend),
    version_adoption_rates: pick(row.version_adoption_rates, versionAdoption),
    note_quality_poor_count: row.note_quality_poor_count,
    note_quality_fair_count: row.note_quality_fair_count,
    note_quality_good_count: row.note_quality_good_count,
    note_quality_complex_count: row.note_quality_complex_count,
    note_quality_treatise_count: row.note_quality_treatise_count,
    peak_day_notes_created: day(row.peak_day_notes_created),
    peak_day_notes_created_count: row.peak_day_notes_created_count,
    peak_hour_notes_created: row.peak_hour_notes_created,
    peak_hour_notes_created_count: row.peak_hour_notes_created_count,
    working_hours_of_week_opening: pick(row.working_hours_of_week_opening, workingHour),
    working_hours_of_week_commenting: pick(row.working_hours_of_week_commenting, workingHour),
    working_hours_of_week_closing: pick(row.working_hours_of_week_closing, workingHour),
    ...historyOf(row),
  };
}

/**
 * The history_{whole,year,month,day}_* columns, in jsonb key order (shorter first, then
 * bytewise), whatever the order of the row's keys: to_jsonb rows and row_to_json rows (column
 * order) give byte-identical documents.
 */
function historyOf(row: Row<DatamartUserRow | DatamartCountryRow | DatamartGlobalRow>): Record<string, number> {
  const keys = Object.keys(row).filter((k) => HISTORY_KEY.test(k));
  keys.sort(jsonbKeyOrder);
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = row[k] as number;
  return out;
}
const HISTORY_KEY = /^history_(whole|year|month|day)_/;
const jsonbKeyOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

function noteIds(row: DatamartUserRow | DatamartCountryRow) {
  return {
    first_open_note_id: row.first_open_note_id,
    first_commented_note_id: row.first_commented_note_id,
    first_closed_note_id: row.first_closed_note_id,
    first_reopened_note_id: row.first_reopened_note_id,
    ...noteIdsWithBothSpellings(row),
  };
}

/** A username for the index and profile: the dimension may lack one; never null or empty. */
export function displayUsername(row: { user_id: number; username: string | null }): string {
  return row.username === null || row.username === "" ? `user_${row.user_id}` : row.username;
}

/** A country name that is never null or empty (local, then English, then Spanish name). */
export function displayCountryName(row: { country_id: number; country_name: string | null; country_name_en: string | null; country_name_es: string | null }): string {
  return row.country_name || row.country_name_en || row.country_name_es || `country_${row.country_id}`;
}

export function userProfileFromRow(
  row: DatamartUserRow,
  contributorType: { name: string | null; name_en: string | null } = { name: null, name_en: null },
): UserProfile {
  const document = {
    dimension_user_id: row.dimension_user_id,
    user_id: row.user_id,
    username: displayUsername(row),
    id_contributor_type: row.id_contributor_type,
    contributor_type_name: contributorType.name,
    contributor_type_name_en: contributorType.name_en,
    date_starting_creating_notes: day(row.date_starting_creating_notes),
    date_starting_solving_notes: day(row.date_starting_solving_notes),
    ...noteIds(row),
    last_year_activity: activity(row.last_year_activity),
    dates_most_open: pick(row.dates_most_open, dateQuantity),
    dates_most_closed: pick(row.dates_most_closed, dateQuantity),
    hashtags: pick(row.hashtags, rankedHashtag),
    countries_open_notes: pick(row.countries_open_notes, rankedCountry),
    countries_solving_notes: pick(row.countries_solving_notes, rankedCountry),
    countries_open_notes_current_month: pick(row.countries_open_notes_current_month, rankedCountry),
    countries_solving_notes_current_month: pick(row.countries_solving_notes_current_month, rankedCountry),
    countries_open_notes_current_day: pick(row.countries_open_notes_current_day, rankedCountry),
    countries_solving_notes_current_day: pick(row.countries_solving_notes_current_day, rankedCountry),
    ...sharedMetrics(row),
    notes_opened_but_not_closed_by_user: row.notes_opened_but_not_closed_by_user,
    hashtags_opening: pick(row.hashtags_opening, rankedHashtagCount),
    hashtags_resolution: pick(row.hashtags_resolution, rankedHashtagCount),
    hashtags_comments: pick(row.hashtags_comments, rankedHashtagCount),
    favorite_opening_hashtag: row.favorite_opening_hashtag,
    favorite_resolution_hashtag: row.favorite_resolution_hashtag,
    opening_hashtag_count: row.opening_hashtag_count,
    resolution_hashtag_count: row.resolution_hashtag_count,
    user_response_time: row.user_response_time,
    days_since_last_action: row.days_since_last_action,
    collaboration_patterns:
      row.collaboration_patterns === null
        ? null
        : {
            mentions_given: row.collaboration_patterns.mentions_given,
            mentions_received: row.collaboration_patterns.mentions_received,
            replies_count: row.collaboration_patterns.replies_count,
            collaboration_score: row.collaboration_patterns.collaboration_score,
          },
    iso_week: row.iso_week,
    quarter: row.quarter,
    month_name: row.month_name,
    hour_of_week: row.hour_of_week,
    period_of_day: row.period_of_day,
    last_action_timestamp: stamp(row.last_action_timestamp),
  };
  // The year keys last, added in place (a spread of them copied every key of the document).
  return userYearKeys(row, document) as UserProfile;
}

export function countryProfileFromRow(row: DatamartCountryRow): CountryProfile {
  const document = {
    dimension_country_id: row.dimension_country_id,
    country_id: row.country_id,
    country_name: displayCountryName(row),
    country_name_es: row.country_name_es,
    country_name_en: row.country_name_en,
    iso_alpha2: row.iso_alpha2,
    iso_alpha3: row.iso_alpha3,
    dimension_continent_id: row.dimension_continent_id,
    date_starting_creating_notes: day(row.date_starting_creating_notes),
    date_starting_solving_notes: day(row.date_starting_solving_notes),
    ...noteIds(row),
    last_year_activity: activity(row.last_year_activity),
    dates_most_open: pick(row.dates_most_open, dateQuantity),
    dates_most_closed: pick(row.dates_most_closed, dateQuantity),
    hashtags: pick(row.hashtags, rankedHashtag),
    hashtags_opening: pick(row.hashtags_opening, rankedHashtagCount),
    hashtags_resolution: pick(row.hashtags_resolution, rankedHashtagCount),
    hashtags_comments: pick(row.hashtags_comments, rankedHashtagCount),
    top_opening_hashtag: row.top_opening_hashtag,
    top_resolution_hashtag: row.top_resolution_hashtag,
    opening_hashtag_count: row.opening_hashtag_count,
    resolution_hashtag_count: row.resolution_hashtag_count,
    users_open_notes: pick(row.users_open_notes, rankedUser),
    users_solving_notes: pick(row.users_solving_notes, rankedUser),
    users_open_notes_current_month: pick(row.users_open_notes_current_month, rankedUser),
    users_solving_notes_current_month: pick(row.users_solving_notes_current_month, rankedUser),
    users_open_notes_current_day: pick(row.users_open_notes_current_day, rankedUser),
    users_solving_notes_current_day: pick(row.users_solving_notes_current_day, rankedUser),
    ...sharedMetrics(row),
    notes_health_score: row.notes_health_score,
    new_vs_resolved_ratio: row.new_vs_resolved_ratio,
    open_notes_by_year: row.open_notes_by_year,
    longest_resolution_notes: pick(row.longest_resolution_notes, (i) => ({
      note_id: n(i.note_id),
      days_to_resolution: n(i.days_to_resolution),
      opened_date: day(i.opened_date as string),
      closed_date: day(i.closed_date as string),
    })),
  };
  return countryYearKeys(row, document) as CountryProfile;
}

export function userIndexEntryFromRow(row: DatamartUserRow): UserIndexEntry {
  return {
    user_id: row.user_id,
    username: displayUsername(row),
    history_whole_open: row.history_whole_open,
    history_whole_closed: row.history_whole_closed,
    history_year_open: row.history_year_open,
    history_year_closed: row.history_year_closed,
    lastest_open_note_id: row.latest_open_note_id,
    lastest_commented_note_id: row.latest_commented_note_id,
    lastest_closed_note_id: row.latest_closed_note_id,
    latest_open_note_id: row.latest_open_note_id,
    latest_commented_note_id: row.latest_commented_note_id,
    latest_closed_note_id: row.latest_closed_note_id,
  };
}

export function countryIndexEntryFromRow(row: DatamartCountryRow): CountryIndexEntry {
  return {
    country_id: row.country_id,
    country_name: displayCountryName(row),
    country_name_es: row.country_name_es,
    country_name_en: row.country_name_en,
    date_starting_creating_notes: day(row.date_starting_creating_notes),
    history_whole_open: row.history_whole_open,
    history_whole_closed: row.history_whole_closed,
    history_whole_commented: row.history_whole_commented,
    history_year_open: row.history_year_open,
    history_year_closed: row.history_year_closed,
    history_year_commented: row.history_year_commented,
    avg_days_to_resolution: row.avg_days_to_resolution,
    resolution_rate: row.resolution_rate,
    notes_resolved_count: row.notes_resolved_count,
    notes_still_open_count: row.notes_still_open_count,
    notes_health_score: row.notes_health_score,
    new_vs_resolved_ratio: row.new_vs_resolved_ratio,
    notes_created_last_30_days: row.notes_created_last_30_days,
    notes_resolved_last_30_days: row.notes_resolved_last_30_days,
    dates_most_open: (pick(row.dates_most_open, dateQuantity) ?? []) as CountryIndexEntry["dates_most_open"],
  };
}

/**
 * Index order of the original: history_whole_open then history_whole_closed, both descending
 * (NULLS LAST is moot: the counts are never null), then the id for a stable file.
 */
export function byActivity<T extends { history_whole_open: number; history_whole_closed: number }>(
  id: (e: T) => number,
): (a: T, b: T) => number {
  return (a, b) => b.history_whole_open - a.history_whole_open || b.history_whole_closed - a.history_whole_closed || id(a) - id(b);
}

export function globalStatsFromRow(row: DatamartGlobalRow): GlobalStats {
  const { updated_at: _u, exported_at: _e, avg_days_to_resolution, resolution_rate, ...rest } = row;
  return {
    ...rest,
    date_starting_creating_notes: day(row.date_starting_creating_notes),
    date_starting_solving_notes: day(row.date_starting_solving_notes),
    notes_age_distribution:
      row.notes_age_distribution === null
        ? null
        : {
            "0-7_days": row.notes_age_distribution["0-7_days"],
            "8-30_days": row.notes_age_distribution["8-30_days"],
            "31-90_days": row.notes_age_distribution["31-90_days"],
            "90_plus_days": row.notes_age_distribution["90_plus_days"],
          },
    top_countries: pick(row.top_countries, (i) => ({
      country_id: n(i.country_id),
      country_name: (i.country_name as string | null) ?? null,
      total_actions: n(i.total_actions),
    })),
    applications_used: pick(row.applications_used, (i) => ({
      application_id: n(i.application_id),
      application_name: str(i.application_name),
      usage_count: n(i.usage_count),
    })),
    // The Viewer calls .toFixed() on these when present: a number or no key, never null.
    ...(avg_days_to_resolution === null ? {} : { avg_days_to_resolution }),
    ...(resolution_rate === null ? {} : { resolution_rate }),
  } as GlobalStats;
}
