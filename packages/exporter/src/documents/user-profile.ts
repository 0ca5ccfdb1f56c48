import * as z from "zod";
import * as f from "./_fields.ts";
import { withYearKeys, YEAR } from "./_year-keys.ts";

type YearAction = "open" | "commented" | "closed" | "closed_with_comment" | "reopened";

/** Fixed keys of users/h1/h2/h3/<user_id>.json (datamarts-export §3.2, consumers.md). */
export const userProfileFixed = z.strictObject({
  dimension_user_id: f.id,
  user_id: z.int().min(1),
  /** Never null: the Viewer calls .toLowerCase()/.trim() on it. */
  username: z.string().min(1),
  id_contributor_type: f.id.nullable(),
  contributor_type_name: z.string().nullable(),
  contributor_type_name_en: z.string().nullable(),
  date_starting_creating_notes: f.isoDate.nullable(),
  date_starting_solving_notes: f.isoDate.nullable(),
  ...f.noteIds,
  last_year_activity: f.activityString,
  dates_most_open: z.array(f.dateQuantity).nullable(),
  dates_most_closed: z.array(f.dateQuantity).nullable(),
  hashtags: z.array(f.rankedHashtag).nullable(),
  countries_open_notes: z.array(f.rankedCountry).nullable(),
  countries_solving_notes: z.array(f.rankedCountry).nullable(),
  countries_open_notes_current_month: z.array(f.rankedCountry).nullable(),
  countries_solving_notes_current_month: z.array(f.rankedCountry).nullable(),
  countries_open_notes_current_day: z.array(f.rankedCountry).nullable(),
  countries_solving_notes_current_day: z.array(f.rankedCountry).nullable(),
  ...f.workingHours,
  ...f.historyCounts,
  ...f.sharedMetrics,
  notes_opened_but_not_closed_by_user: f.count.nullable(),
  hashtags_opening: z.array(f.rankedHashtagCount).nullable(),
  hashtags_resolution: z.array(f.rankedHashtagCount).nullable(),
  hashtags_comments: z.array(f.rankedHashtagCount).nullable(),
  favorite_opening_hashtag: z.string().nullable(),
  favorite_resolution_hashtag: z.string().nullable(),
  opening_hashtag_count: f.count.nullable(),
  resolution_hashtag_count: f.count.nullable(),
  /** Days (the original's docs say hours; its formula gives days). */
  user_response_time: f.decimal.nullable(),
  days_since_last_action: f.count.nullable(),
  collaboration_patterns: f.collaboration.nullable(),
  iso_week: z.int().nullable(),
  quarter: z.int().nullable(),
  month_name: z.string().nullable(),
  hour_of_week: z.int().nullable(),
  period_of_day: z.string().nullable(),
  ...f.qualityAndPeaks,
  last_action_timestamp: f.isoTimestamp.nullable(),
});

/** history_YYYY_* and ranking_countries_{opening,closing}_YYYY, one set per year with data. */
export type UserYearKeys = { [K in `history_${number}_${YearAction}`]?: number } & {
  [K in `ranking_countries_${"opening" | "closing"}_${number}`]?: Array<z.output<typeof f.rankedCountryOfYear>>;
};
export type UserProfile = z.output<typeof userProfileFixed> & UserYearKeys;

export const userProfile = withYearKeys(userProfileFixed, [
  {
    pattern: new RegExp(`^history_${YEAR}_(open|commented|closed|closed_with_comment|reopened)$`),
    schema: f.count,
  },
  { pattern: new RegExp(`^ranking_countries_(opening|closing)_${YEAR}$`), schema: z.array(f.rankedCountryOfYear) },
]) as unknown as z.ZodType<UserProfile>;
