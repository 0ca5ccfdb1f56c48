import * as z from "zod";

// Field and item shapes shared by the exported documents (datamarts-export §7.3, consumers.md).
// Numbers are numbers: postgres.js returns numeric/int8 as strings, and the Viewer calls
// .toFixed() on several of them, so a string here must fail validation, not reach a browser.
// Item objects are strict (z.strictObject: zod rejects unknown keys at runtime and the JSON
// Schema says additionalProperties: false, so both validators agree) so a column that leaks into
// the JSON (json_exported, updated_at, …) is caught at export time.

export const count = z.int().min(0);
export const id = z.int();
export const decimal = z.number();
export const percentage = z.number().min(0).max(100);
/** "YYYY-MM-DD" (a DATE column, never a Date object: JSON has no dates). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** "YYYY-MM-DDTHH:MM:SS" with an optional Z: the dwh holds UTC wall-clock timestamps. */
export const isoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/);
/** 371 digits 0–9, one per day, rightmost = today (the Viewer calls .split('') on it). */
export const activityString = z.string().regex(/^[0-9]{371}$/);

export const dateQuantity = z.strictObject({ date: isoDate, quantity: count });
export const rankedHashtag = z.strictObject({ rank: z.int().min(1), hashtag: z.string(), quantity: count });
export const rankedHashtagCount = z.strictObject({ rank: z.int().min(1), hashtag: z.string(), count: count });
export const rankedCountry = z.strictObject({ rank: z.int().min(1), country: z.string(), quantity: count });
/**
 * Per-year country ranking item. The original published only `country_name`, but the Viewer
 * reads `item.country || item.name` (every bar said "Unknown", consumers.md mismatch 2), so we
 * emit `country` and keep `country_name` for readers of the original shape.
 */
export const rankedCountryOfYear = z.strictObject({
  rank: z.int().min(1),
  country: z.string(),
  country_name: z.string(),
  quantity: count,
});
export const rankedUser = z.strictObject({ rank: z.int().min(1), username: z.string(), quantity: count });
/** day_of_week 1 = Monday … 7 (ISO, as the original's datamart and schema), hour_of_day 0–23. */
export const workingHour = z.strictObject({
  day_of_week: z.int().min(1).max(7),
  hour_of_day: z.int().min(0).max(23),
  count: count,
});
export const applicationUse = z.strictObject({ app_id: id, app_name: z.string(), count: count });
export const globalApplicationUse = z.strictObject({
  application_id: id,
  application_name: z.string(),
  usage_count: count,
});
export const applicationTrend = z.strictObject({
  year: z.int(),
  applications: z
    .array(z.strictObject({ app_id: id, app_name: z.string(), count: count, pct: percentage }))
    .nullable(),
});
export const versionAdoption = z.strictObject({
  year: z.int(),
  versions: z
    .array(z.strictObject({ version: z.string(), count: count, adoption_rate: percentage }))
    .nullable(),
});
/**
 * resolution_rate here is notes closed in the period / notes opened in the period × 100, so it
 * exceeds 100 when old notes are closed (the real -1 area has 86500 for 2026): not capped.
 */
const periodRate = z.number().min(0);
export const resolutionOfYear = z.strictObject({
  year: z.int(),
  avg_days: decimal.nullable(),
  median_days: decimal.nullable(),
  resolution_rate: periodRate.nullable(),
});
export const resolutionOfMonth = z.strictObject({
  year: z.int(),
  month: z.int().min(1).max(12),
  avg_days: decimal.nullable(),
  median_days: decimal.nullable(),
  resolution_rate: periodRate.nullable(),
});
export const ageBucket = z.strictObject({
  age_range: z.enum(["0-7 days", "8-30 days", "31-90 days", "90+ days"]),
  count: count,
});
export const collaboration = z.strictObject({
  mentions_given: count,
  mentions_received: count,
  replies_count: count,
  collaboration_score: decimal,
});
export const topCountry = z.strictObject({ country_id: id, country_name: z.string().nullable(), total_actions: count });
export const globalAgeDistribution = z.strictObject({
  "0-7_days": count,
  "8-30_days": count,
  "31-90_days": count,
  "90_plus_days": count,
});
export const longestResolutionNote = z.strictObject({
  note_id: id,
  days_to_resolution: decimal,
  opened_date: isoDate,
  closed_date: isoDate,
});

/** history_{whole,year,month,day}_{open,commented,closed,closed_with_comment,reopened}. */
export const historyCounts = {
  history_whole_open: count,
  history_whole_commented: count,
  history_whole_closed: count,
  history_whole_closed_with_comment: count,
  history_whole_reopened: count,
  history_year_open: count,
  history_year_commented: count,
  history_year_closed: count,
  history_year_closed_with_comment: count,
  history_year_reopened: count,
  history_month_open: count,
  history_month_commented: count,
  history_month_closed: count,
  history_month_closed_with_comment: count,
  history_month_reopened: count,
  history_day_open: count,
  history_day_commented: count,
  history_day_closed: count,
  history_day_closed_with_comment: count,
  history_day_reopened: count,
};

/**
 * First and latest note ids. The Viewer reads the original's misspelling `lastest_*` only,
 * the current DDL and the Common schemas say `latest_*`: we emit both (consumers.md mismatch 1).
 */
export const noteIds = {
  first_open_note_id: id.nullable(),
  first_commented_note_id: id.nullable(),
  first_closed_note_id: id.nullable(),
  first_reopened_note_id: id.nullable(),
  latest_open_note_id: id.nullable(),
  latest_commented_note_id: id.nullable(),
  latest_closed_note_id: id.nullable(),
  latest_reopened_note_id: id.nullable(),
  lastest_open_note_id: id.nullable(),
  lastest_commented_note_id: id.nullable(),
  lastest_closed_note_id: id.nullable(),
  lastest_reopened_note_id: id.nullable(),
};

/** Optional DM-006..011 metrics (datamarts-export §3.5), present in the dwh tables. */
export const qualityAndPeaks = {
  note_quality_poor_count: count.nullable(),
  note_quality_fair_count: count.nullable(),
  note_quality_good_count: count.nullable(),
  note_quality_complex_count: count.nullable(),
  note_quality_treatise_count: count.nullable(),
  peak_day_notes_created: isoDate.nullable(),
  peak_day_notes_created_count: count.nullable(),
  peak_hour_notes_created: z.int().nullable(),
  peak_hour_notes_created_count: count.nullable(),
};

/** Resolution, application and comment-quality metrics shared by users and countries. */
export const sharedMetrics = {
  avg_days_to_resolution: decimal.nullable(),
  median_days_to_resolution: decimal.nullable(),
  notes_resolved_count: count.nullable(),
  notes_still_open_count: count.nullable(),
  resolution_rate: percentage.nullable(),
  applications_used: z.array(applicationUse).nullable(),
  most_used_application_id: id.nullable(),
  mobile_apps_count: count.nullable(),
  desktop_apps_count: count.nullable(),
  avg_comment_length: decimal.nullable(),
  comments_with_url_count: count.nullable(),
  comments_with_url_pct: percentage.nullable(),
  comments_with_mention_count: count.nullable(),
  comments_with_mention_pct: percentage.nullable(),
  avg_comments_per_note: decimal.nullable(),
  active_notes_count: count.nullable(),
  notes_backlog_size: count.nullable(),
  notes_age_distribution: z.array(ageBucket).nullable(),
  notes_created_last_30_days: count.nullable(),
  notes_resolved_last_30_days: count.nullable(),
  resolution_by_year: z.array(resolutionOfYear).nullable(),
  resolution_by_month: z.array(resolutionOfMonth).nullable(),
  application_usage_trends: z.array(applicationTrend).nullable(),
  version_adoption_rates: z.array(versionAdoption).nullable(),
};

export const workingHours = {
  working_hours_of_week_opening: z.array(workingHour).nullable(),
  working_hours_of_week_commenting: z.array(workingHour).nullable(),
  working_hours_of_week_closing: z.array(workingHour).nullable(),
};
