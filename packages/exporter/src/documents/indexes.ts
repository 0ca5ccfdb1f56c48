import * as z from "zod";
import * as f from "./_fields.ts";

/** One entry of indexes/users.json (sorted by history_whole_open, history_whole_closed desc). */
export const userIndexEntry = z.strictObject({
  user_id: z.int().min(1),
  /** Never null: the Viewer searches with .toLowerCase()/.trim(). */
  username: z.string().min(1),
  history_whole_open: f.count,
  history_whole_closed: f.count,
  history_year_open: f.count,
  history_year_closed: f.count,
  // The home page's "recent notes" cards read these from the index (consumers.md mismatch 3).
  lastest_open_note_id: f.id.nullable(),
  lastest_commented_note_id: f.id.nullable(),
  lastest_closed_note_id: f.id.nullable(),
  latest_open_note_id: f.id.nullable(),
  latest_commented_note_id: f.id.nullable(),
  latest_closed_note_id: f.id.nullable(),
});
export const userIndex = z.array(userIndexEntry);
export type UserIndexEntry = z.output<typeof userIndexEntry>;
export type UserIndex = z.output<typeof userIndex>;

/** One entry of indexes/countries.json: the original's 19 fields plus dates_most_open. */
export const countryIndexEntry = z.strictObject({
  country_id: f.id,
  country_name: z.string().min(1),
  country_name_es: z.string().nullable(),
  country_name_en: z.string().nullable(),
  date_starting_creating_notes: f.isoDate.nullable(),
  history_whole_open: f.count,
  history_whole_closed: f.count,
  history_whole_commented: f.count,
  history_year_open: f.count,
  history_year_closed: f.count,
  history_year_commented: f.count,
  avg_days_to_resolution: f.decimal.nullable(),
  resolution_rate: f.percentage.nullable(),
  notes_resolved_count: f.count.nullable(),
  notes_still_open_count: f.count.nullable(),
  notes_health_score: f.percentage.nullable(),
  new_vs_resolved_ratio: f.decimal.nullable(),
  notes_created_last_30_days: f.count.nullable(),
  notes_resolved_last_30_days: f.count.nullable(),
  // The home "Activity Over Last Year" chart sums this over all countries; the original left it
  // out of the index, so the chart said "Unable to load activity data".
  dates_most_open: z.array(f.dateQuantity),
});
export const countryIndex = z.array(countryIndexEntry);
export type CountryIndexEntry = z.output<typeof countryIndexEntry>;
export type CountryIndex = z.output<typeof countryIndex>;
