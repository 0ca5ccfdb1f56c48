import * as z from "zod";
import * as f from "./_fields.ts";
import { withYearKeys, YEAR } from "./_year-keys.ts";

type YearAction = "open" | "commented" | "closed" | "closed_with_comment" | "reopened";

/** Fixed keys of countries/<country_id>.json (datamarts-export §4.2, consumers.md). */
export const countryProfileFixed = z.strictObject({
  dimension_country_id: f.id,
  /** Any id: -1 is the international-waters area. */
  country_id: f.id,
  country_name: z.string().min(1),
  country_name_es: z.string().nullable(),
  country_name_en: z.string().nullable(),
  iso_alpha2: z.string().nullable(),
  iso_alpha3: z.string().nullable(),
  dimension_continent_id: f.id.nullable(),
  date_starting_creating_notes: f.isoDate.nullable(),
  date_starting_solving_notes: f.isoDate.nullable(),
  ...f.noteIds,
  last_year_activity: f.activityString,
  dates_most_open: z.array(f.dateQuantity).nullable(),
  dates_most_closed: z.array(f.dateQuantity).nullable(),
  hashtags: z.array(f.rankedHashtag).nullable(),
  hashtags_opening: z.array(f.rankedHashtagCount).nullable(),
  hashtags_resolution: z.array(f.rankedHashtagCount).nullable(),
  hashtags_comments: z.array(f.rankedHashtagCount).nullable(),
  top_opening_hashtag: z.string().nullable(),
  top_resolution_hashtag: z.string().nullable(),
  opening_hashtag_count: f.count.nullable(),
  resolution_hashtag_count: f.count.nullable(),
  users_open_notes: z.array(f.rankedUser).nullable(),
  users_solving_notes: z.array(f.rankedUser).nullable(),
  users_open_notes_current_month: z.array(f.rankedUser).nullable(),
  users_solving_notes_current_month: z.array(f.rankedUser).nullable(),
  users_open_notes_current_day: z.array(f.rankedUser).nullable(),
  users_solving_notes_current_day: z.array(f.rankedUser).nullable(),
  ...f.workingHours,
  ...f.historyCounts,
  ...f.sharedMetrics,
  notes_health_score: f.percentage.nullable(),
  new_vs_resolved_ratio: f.decimal.nullable(),
  ...f.qualityAndPeaks,
  /** {"YYYY": currently open notes opened that year}. */
  open_notes_by_year: z.record(z.string().regex(/^\d{4}$/), f.count).nullable(),
  longest_resolution_notes: z.array(f.longestResolutionNote).nullable(),
});

/** history_YYYY_* and ranking_users_{opening,closing}_YYYY, one set per year with data. */
export type CountryYearKeys = { [K in `history_${number}_${YearAction}`]?: number } & {
  [K in `ranking_users_${"opening" | "closing"}_${number}`]?: Array<z.output<typeof f.rankedUser>>;
};
export type CountryProfile = z.output<typeof countryProfileFixed> & CountryYearKeys;

export const countryProfile = withYearKeys(countryProfileFixed, [
  {
    pattern: new RegExp(`^history_${YEAR}_(open|commented|closed|closed_with_comment|reopened)$`),
    schema: f.count,
  },
  { pattern: new RegExp(`^ranking_users_(opening|closing)_${YEAR}$`), schema: z.array(f.rankedUser) },
]) as unknown as z.ZodType<CountryProfile>;
