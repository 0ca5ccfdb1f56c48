import * as z from "zod";

// Shapes of the jsonb columns of the datamarts (datamarts-export §7.3 "JSON sub-object
// shapes"). Loose objects: a builder may add keys (e.g. both `country` and `country_name`)
// and parsing keeps them.
const n = z.number();

export const dateQuantity = z.looseObject({ date: z.string(), quantity: n });
export const rankedHashtag = z.looseObject({ rank: n, hashtag: z.string(), quantity: n });
export const rankedHashtagCount = z.looseObject({ rank: n, hashtag: z.string(), count: n });
export const rankedCountry = z.looseObject({ rank: n, country: z.string().nullable(), quantity: n });
export const rankedCountryName = z.looseObject({ rank: n, country_name: z.string().nullable(), quantity: n });
export const rankedUser = z.looseObject({ rank: n, username: z.string().nullable(), quantity: n });
/** day_of_week 1 = Monday … 7 (ISO), hour_of_day 0–23. */
export const workingHour = z.looseObject({ day_of_week: n, hour_of_day: n, count: n });
export const applicationUse = z.looseObject({ app_id: n, app_name: z.string(), count: n });
export const globalApplicationUse = z.looseObject({ application_id: n, application_name: z.string(), usage_count: n });
export const applicationTrend = z.looseObject({
  year: n,
  applications: z.array(z.looseObject({ app_id: n, app_name: z.string(), count: n, pct: n })).nullable(),
});
export const versionAdoption = z.looseObject({
  year: n,
  versions: z.array(z.looseObject({ version: z.string(), count: n, adoption_rate: n })).nullable(),
});
export const resolutionPeriod = z.looseObject({
  year: n,
  month: n.optional(),
  avg_days: n.nullable(),
  median_days: n.nullable(),
  resolution_rate: n.nullable(),
});
export const ageBucket = z.looseObject({ age_range: z.string(), count: n });
export const collaboration = z.looseObject({
  mentions_given: n,
  mentions_received: n,
  replies_count: n,
  collaboration_score: n,
});
/** One year of `history_by_year` (flattened by the exporter to history_YYYY_<key>). */
export const yearHistory = z.looseObject({
  open: n,
  commented: n,
  closed: n,
  closed_with_comment: n,
  reopened: n,
});
/** Keys are years ("2013"…). */
export const historyByYear = z.record(z.string().regex(/^\d{4}$/), yearHistory);
export const rankingCountriesByYear = z.record(z.string().regex(/^\d{4}$/), z.array(rankedCountryName));
export const rankingUsersByYear = z.record(z.string().regex(/^\d{4}$/), z.array(rankedUser));
export const topCountry = z.looseObject({ country_id: n, country_name: z.string().nullable(), total_actions: n });
export const globalAgeDistribution = z.looseObject({
  "0-7_days": n,
  "8-30_days": n,
  "31-90_days": n,
  "90_plus_days": n,
});
export const longestResolutionNote = z.looseObject({
  note_id: n,
  days_to_resolution: n,
  opened_date: z.string(),
  closed_date: z.string(),
});
