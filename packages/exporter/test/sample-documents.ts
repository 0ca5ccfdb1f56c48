// Valid documents of every kind for tests (names and numbers made up, shapes as exported).
import type {
  CountryIndexEntry,
  CountryProfile,
  GlobalStats,
  Metadata,
  UserIndexEntry,
  UserProfile,
} from "../src/index.ts";

const activity = "0".repeat(360) + "01234567891";

function history(periods = ["whole", "year", "month", "day"]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const period of periods) {
    for (const a of ["open", "commented", "closed", "closed_with_comment", "reopened"]) out[`history_${period}_${a}`] = 1;
  }
  return out;
}

const ids = {
  first_open_note_id: 1, first_commented_note_id: null, first_closed_note_id: 2, first_reopened_note_id: null,
  latest_open_note_id: 3, latest_commented_note_id: null, latest_closed_note_id: 4, latest_reopened_note_id: null,
  lastest_open_note_id: 3, lastest_commented_note_id: null, lastest_closed_note_id: 4, lastest_reopened_note_id: null,
};

const shared = {
  avg_days_to_resolution: 1.5, median_days_to_resolution: 1, notes_resolved_count: 1, notes_still_open_count: 0,
  resolution_rate: 100, applications_used: [{ app_id: 1, app_name: "iD", count: 1 }], most_used_application_id: 1,
  mobile_apps_count: 0, desktop_apps_count: 1, avg_comment_length: 12.25, comments_with_url_count: 0,
  comments_with_url_pct: 0, comments_with_mention_count: 0, comments_with_mention_pct: 0, avg_comments_per_note: 1,
  active_notes_count: 0, notes_backlog_size: 0, notes_age_distribution: [{ age_range: "90+ days" as const, count: 1 }],
  notes_created_last_30_days: 0, notes_resolved_last_30_days: 0,
  resolution_by_year: [{ year: 2024, avg_days: 1.5, median_days: 1, resolution_rate: 100 }],
  resolution_by_month: [{ year: 2024, month: 5, avg_days: 1.5, median_days: 1, resolution_rate: 100 }],
  application_usage_trends: [{ year: 2024, applications: [{ app_id: 1, app_name: "iD", count: 1, pct: 100 }] }],
  version_adoption_rates: [{ year: 2024, versions: null }],
  note_quality_poor_count: 0, note_quality_fair_count: 0, note_quality_good_count: 1, note_quality_complex_count: 0,
  note_quality_treatise_count: 0, peak_day_notes_created: "2024-05-01", peak_day_notes_created_count: 1,
  peak_hour_notes_created: 310, peak_hour_notes_created_count: 1,
  working_hours_of_week_opening: [{ day_of_week: 3, hour_of_day: 10, count: 1 }],
  working_hours_of_week_commenting: null, working_hours_of_week_closing: null,
};

export function sampleUserProfile(userId: number, username = `user${userId}`): UserProfile {
  return {
    dimension_user_id: userId + 1000, user_id: userId, username, id_contributor_type: 5,
    contributor_type_name: "Hit-and-run notero", contributor_type_name_en: "Hit and run",
    date_starting_creating_notes: "2024-05-01", date_starting_solving_notes: null, ...ids,
    last_year_activity: activity, dates_most_open: [{ date: "2024-05-01", quantity: 1 }], dates_most_closed: null,
    hashtags: [], countries_open_notes: [{ rank: 1, country: "Chile", quantity: 1 }], countries_solving_notes: null,
    countries_open_notes_current_month: null, countries_solving_notes_current_month: null,
    countries_open_notes_current_day: null, countries_solving_notes_current_day: null,
    ...history(), ...shared,
    notes_opened_but_not_closed_by_user: 0, hashtags_opening: null, hashtags_resolution: null, hashtags_comments: null,
    favorite_opening_hashtag: null, favorite_resolution_hashtag: null, opening_hashtag_count: 0,
    resolution_hashtag_count: 0, user_response_time: 0.5, days_since_last_action: 3,
    collaboration_patterns: { mentions_given: 0, mentions_received: 0, replies_count: 0, collaboration_score: 0 },
    iso_week: 18, quarter: 2, month_name: "May", hour_of_week: 58, period_of_day: "Morning",
    last_action_timestamp: "2024-05-01T10:11:12",
    history_2024_open: 1, history_2024_commented: 0, history_2024_closed: 1, history_2024_closed_with_comment: 1,
    history_2024_reopened: 0,
    ranking_countries_opening_2024: [{ rank: 1, country: "Chile", country_name: "Chile", quantity: 1 }],
    ranking_countries_closing_2024: [],
  } as unknown as UserProfile;
}

export function sampleCountryProfile(countryId: number, name = `Country ${countryId}`): CountryProfile {
  return {
    dimension_country_id: 1, country_id: countryId, country_name: name, country_name_es: name, country_name_en: name,
    iso_alpha2: null, iso_alpha3: null, dimension_continent_id: null,
    date_starting_creating_notes: "2024-05-01", date_starting_solving_notes: "2024-05-02", ...ids,
    last_year_activity: activity, dates_most_open: [{ date: "2024-05-01", quantity: 1 }], dates_most_closed: [],
    hashtags: null, hashtags_opening: null, hashtags_resolution: null, hashtags_comments: null,
    top_opening_hashtag: null, top_resolution_hashtag: null, opening_hashtag_count: 0, resolution_hashtag_count: 0,
    users_open_notes: [{ rank: 1, username: "someone", quantity: 1 }], users_solving_notes: null,
    users_open_notes_current_month: null, users_solving_notes_current_month: null,
    users_open_notes_current_day: null, users_solving_notes_current_day: null,
    ...history(), ...shared, notes_health_score: 81.13, new_vs_resolved_ratio: 2.29,
    open_notes_by_year: { "2024": 0 }, longest_resolution_notes: [],
    history_2024_open: 1, history_2024_commented: 0, history_2024_closed: 1, history_2024_closed_with_comment: 1,
    history_2024_reopened: 0, ranking_users_opening_2024: [{ rank: 1, username: "someone", quantity: 1 }],
    ranking_users_closing_2024: [],
  } as unknown as CountryProfile;
}

export function sampleGlobalStats(): GlobalStats {
  return {
    dimension_global_id: 1, date_starting_creating_notes: "2013-04-24", date_starting_solving_notes: "2013-04-25",
    first_open_note_id: 1, first_closed_note_id: 2, first_reopened_note_id: null, latest_open_note_id: 9,
    latest_closed_note_id: 8, latest_reopened_note_id: null, last_year_activity: null,
    ...history(["whole", "year"]),
    currently_open_count: 1, currently_closed_count: 2, notes_created_last_30_days: 0, notes_resolved_last_30_days: 0,
    notes_backlog_size: 1, avg_days_to_resolution: 3.25, resolution_rate: 66.67, median_days_to_resolution: 2,
    avg_days_to_resolution_current_year: null, median_days_to_resolution_current_year: null, notes_resolved_count: 2,
    active_users_count: 3, notes_age_distribution: { "0-7_days": 0, "8-30_days": 0, "31-90_days": 0, "90_plus_days": 1 },
    top_countries: [{ country_id: 51477, country_name: "Deutschland", total_actions: 4 }],
    applications_used: [{ application_id: 1, application_name: "iD", usage_count: 2 }], most_used_application_id: 1,
    mobile_apps_count: 0, desktop_apps_count: 1, avg_comment_length: 10, comments_with_url_pct: 0,
    comments_with_mention_pct: 0, avg_comments_per_note: 1,
  } as unknown as GlobalStats;
}

export function sampleUserIndexEntry(userId: number, username = `user${userId}`): UserIndexEntry {
  return {
    user_id: userId, username, history_whole_open: 1, history_whole_closed: 1, history_year_open: 1,
    history_year_closed: 1, lastest_open_note_id: 3, lastest_commented_note_id: null, lastest_closed_note_id: 4,
    latest_open_note_id: 3, latest_commented_note_id: null, latest_closed_note_id: 4,
  };
}

export function sampleCountryIndexEntry(countryId: number, name = `Country ${countryId}`): CountryIndexEntry {
  return {
    country_id: countryId, country_name: name, country_name_es: name, country_name_en: name,
    date_starting_creating_notes: "2024-05-01", history_whole_open: 1, history_whole_closed: 1,
    history_whole_commented: 0, history_year_open: 1, history_year_closed: 1, history_year_commented: 0,
    avg_days_to_resolution: 1.5, resolution_rate: 100, notes_resolved_count: 1, notes_still_open_count: 0,
    notes_health_score: 90, new_vs_resolved_ratio: 1, notes_created_last_30_days: 0, notes_resolved_last_30_days: 0,
    dates_most_open: [{ date: "2024-05-01", quantity: 1 }],
  };
}

export function sampleMetadata(totalUsers: number, totalCountries: number): Metadata {
  return {
    export_date: "2026-11-26T10:00:00Z", export_timestamp: 1795687200, total_users: totalUsers,
    total_countries: totalCountries, version: "1.0.0", schema_version: "1.0.0", api_compat_min: "1.0.0",
    data_schema_hash: "a".repeat(64),
  };
}
