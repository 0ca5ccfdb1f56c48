// Every metric family on a crafted warehouse (src/_crafted-data.ts), expected values computed
// by hand. "today" is 2026-03-15 (UTC): window of the activity string 2025-03-10 … 2026-03-15,
// last 30 days from 2026-02-13, current year 2026, current month March 2026.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "@osm-notes/dwh-sql";
import { buildDatamarts } from "./index.ts";
import { Fixture } from "./_test-fixture.ts";
import { ALICE, BOB, CAROL, COLOMBIA, DAVE, GERMANY, TODAY, loadCraftedData, tiles } from "./_crafted-data.ts";

let db: TestDatabase;
type Doc = Record<string, any>;
const users = new Map<number, Doc>();
const countries = new Map<number, Doc>();
let global: Doc;
let appIds: Record<string, number>;

async function docs(sql: Sql, table: string, key: string): Promise<Map<number, Doc>> {
  const rows = await sql.unsafe<{ j: Doc }[]>(`SELECT to_jsonb(t) AS j FROM ${table} t`);
  return new Map(rows.map((r) => [r.j[key] as number, r.j]));
}

beforeAll(async () => {
  db = await freshDatabase({ name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } });
  await loadCraftedData(new Fixture(db.sql));
  await buildDatamarts(db.sql, { scope: "all", asOf: TODAY });
  for (const [k, v] of await docs(db.sql, "dwh.datamartusers", "user_id")) users.set(k, v);
  for (const [k, v] of await docs(db.sql, "dwh.datamartcountries", "country_id")) countries.set(k, v);
  global = (await docs(db.sql, "dwh.datamartglobal", "dimension_global_id")).get(1)!;
  const apps = await db.sql<{ name: string; id: number }[]>`
    SELECT DISTINCT ON (application_name) application_name AS name, dimension_application_id AS id
    FROM dwh.dimension_applications ORDER BY application_name, priority`;
  appIds = Object.fromEntries(apps.map((a) => [a.name, a.id]));
}, 60_000);
afterAll(() => db.drop(), 30_000);

const u = (id: number): Doc => users.get(id)!;
const c = (id: number): Doc => countries.get(id)!;

describe("rows", () => {
  test("one row per OSM user with actions (Anonymous excluded), a renamed user is one row with the current name", () => {
    expect([...users.keys()].sort()).toEqual([ALICE, BOB, CAROL, DAVE]);
    expect(u(ALICE).username).toBe("alicia");
    expect([...countries.keys()].sort()).toEqual([COLOMBIA, GERMANY]);
  });
});

describe("history", () => {
  test("whole history merges the renamed user's dimension rows; a note closed twice counts two closes", () => {
    expect(u(ALICE)).toMatchObject({ history_whole_open: 2, history_whole_commented: 0, history_whole_closed: 1, history_whole_closed_with_comment: 1, history_whole_reopened: 0 });
    expect(u(BOB)).toMatchObject({ history_whole_open: 1, history_whole_commented: 1, history_whole_closed: 2, history_whole_closed_with_comment: 1 });
    expect(u(CAROL)).toMatchObject({ history_whole_commented: 1, history_whole_closed: 1, history_whole_closed_with_comment: 1, history_whole_reopened: 1 });
  });
  test("per year, current year, month and day", () => {
    expect(u(ALICE).history_by_year).toEqual({
      "2025": { open: 1, commented: 0, closed: 0, closed_with_comment: 0, reopened: 0 },
      "2026": { open: 1, commented: 0, closed: 1, closed_with_comment: 1, reopened: 0 },
    });
    expect(u(BOB).history_by_year).toEqual({
      "2025": { open: 1, commented: 1, closed: 1, closed_with_comment: 1, reopened: 0 },
      "2026": { open: 0, commented: 0, closed: 1, closed_with_comment: 0, reopened: 0 },
    });
    expect(u(BOB)).toMatchObject({ history_year_closed: 1, history_month_closed: 1, history_day_closed: 1, history_day_closed_with_comment: 0, history_year_open: 0 });
    expect(u(CAROL)).toMatchObject({ history_month_reopened: 1, history_day_reopened: 0, history_month_commented: 1, history_year_closed: 1 });
    expect(c(COLOMBIA)).toMatchObject({ history_whole_open: 3, history_whole_commented: 2, history_whole_closed: 3, history_whole_closed_with_comment: 2, history_whole_reopened: 1 });
    expect(global).toMatchObject({
      history_whole_open: 7, history_whole_commented: 2, history_whole_closed: 4, history_whole_closed_with_comment: 3, history_whole_reopened: 1,
      history_year_open: 4, history_year_commented: 1, history_year_closed: 3, history_year_closed_with_comment: 2, history_year_reopened: 1,
    });
  });
});

describe("firsts", () => {
  test("first / latest notes per action type are chronological", () => {
    expect(u(ALICE)).toMatchObject({
      first_open_note_id: 1, latest_open_note_id: 2, first_closed_note_id: 3, latest_closed_note_id: 3,
      date_starting_creating_notes: "2025-03-10", date_starting_solving_notes: "2026-01-01",
    });
    expect(c(GERMANY)).toMatchObject({ first_open_note_id: 7, latest_open_note_id: 4, date_starting_creating_notes: "2025-11-01" });
    expect(global).toMatchObject({ first_open_note_id: 1, latest_open_note_id: 4, first_reopened_note_id: 1, latest_closed_note_id: 1 });
  });
});

describe("activity string (371 days, rightmost = today)", () => {
  test("across a year boundary, first character = today − 370", () => {
    expect(u(ALICE).last_year_activity).toBe(tiles("2026-03-15", { "2025-03-10": "1", "2026-01-01": "1", "2026-01-02": "1" }));
    expect(u(BOB).last_year_activity).toBe(
      tiles("2026-03-15", { "2025-03-12": "1", "2025-03-13": "1", "2025-12-31": "1", "2026-03-15": "1" }),
    );
    // Colombia on 2026-03-15: nothing but bob's close; 2025-03-10: alice's opening.
    expect(c(COLOMBIA).last_year_activity).toHaveLength(371);
    expect(c(COLOMBIA).last_year_activity.at(-1)).toBe("1");
    expect(c(COLOMBIA).last_year_activity[0]).toBe("1");
    expect(global.last_year_activity).toHaveLength(371);
  });
});

describe("resolution", () => {
  test("times over close events (0-day closes included), resolved notes, open notes and rate", () => {
    // bob closed N1 after 3 and after 370 days.
    expect(u(BOB)).toMatchObject({ avg_days_to_resolution: 186.5, median_days_to_resolution: 186.5, notes_resolved_count: 1 });
    // alice opened N1 (closed now) and N2 (open): 50 %; she closed N3 after 1 day; she never closed N1 or N2.
    expect(u(ALICE)).toMatchObject({
      notes_still_open_count: 1, active_notes_count: 1, notes_backlog_size: 1, resolution_rate: 50,
      notes_resolved_count: 1, avg_days_to_resolution: 1, notes_opened_but_not_closed_by_user: 2,
    });
    expect(c(COLOMBIA)).toMatchObject({ avg_days_to_resolution: 124.67, median_days_to_resolution: 3, notes_resolved_count: 2, notes_still_open_count: 1, resolution_rate: 66.67 });
    expect(global).toMatchObject({
      currently_open_count: 4, currently_closed_count: 3, notes_backlog_size: 4, resolution_rate: 42.86, notes_resolved_count: 3,
      avg_days_to_resolution: 93.75, median_days_to_resolution: 2, avg_days_to_resolution_current_year: 124, median_days_to_resolution_current_year: 1,
    });
  });
  test("per year and month: times of that period's closes, rate of that period's openings", () => {
    expect(u(BOB).resolution_by_year).toEqual([
      { year: 2025, avg_days: 3, median_days: 3, resolution_rate: 100 },
      { year: 2026, avg_days: 370, median_days: 370, resolution_rate: 0 },
    ]);
    expect(u(ALICE).resolution_by_month).toEqual([
      { year: 2025, month: 3, avg_days: 0, median_days: 0, resolution_rate: 100 },
      { year: 2026, month: 1, avg_days: 1, median_days: 1, resolution_rate: 0 },
    ]);
  });
  test("last 30 days", () => {
    expect(c(COLOMBIA)).toMatchObject({ notes_created_last_30_days: 1, notes_resolved_last_30_days: 2 });
    expect(global).toMatchObject({ notes_created_last_30_days: 3, notes_resolved_last_30_days: 2, active_users_count: 3 });
    expect(u(CAROL)).toMatchObject({ notes_resolved_last_30_days: 1, notes_created_last_30_days: 0 });
  });
  test("country health", () => {
    expect(c(COLOMBIA)).toMatchObject({ notes_health_score: 76.67, new_vs_resolved_ratio: 0.5 });
  });
});

describe("note-age buckets", () => {
  test("open notes by age, in natural order; global as an object", () => {
    expect(u(DAVE).notes_age_distribution).toEqual([
      { age_range: "0-7 days", count: 1 },
      { age_range: "8-30 days", count: 1 },
      { age_range: "90+ days", count: 1 },
    ]);
    expect(u(ALICE).notes_age_distribution).toEqual([{ age_range: "31-90 days", count: 1 }]);
    expect(u(BOB).notes_age_distribution).toBeNull();
    expect(global.notes_age_distribution).toEqual({ "0-7_days": 1, "8-30_days": 1, "31-90_days": 1, "90_plus_days": 1 });
    expect(c(GERMANY).open_notes_by_year).toEqual({ "2025": 1, "2026": 2 });
  });
});

describe("rankings", () => {
  test("countries of a user; per-year keys use country_name", () => {
    expect(u(ALICE).countries_open_notes).toEqual([{ rank: 1, country: "Colombia", country_id: COLOMBIA, quantity: 2 }]);
    expect(u(ALICE).countries_solving_notes).toEqual([{ rank: 1, country: "Alemania", country_id: GERMANY, quantity: 1 }]);
    expect(u(ALICE).ranking_countries_opening_by_year).toEqual({
      "2025": [{ rank: 1, country_name: "Colombia", country_id: COLOMBIA, quantity: 1 }],
      "2026": [{ rank: 1, country_name: "Colombia", country_id: COLOMBIA, quantity: 1 }],
    });
    expect(u(BOB).countries_solving_notes_current_day).toEqual([{ rank: 1, country: "Colombia", country_id: COLOMBIA, quantity: 1 }]);
    expect(u(BOB).countries_solving_notes_current_month).toEqual([{ rank: 1, country: "Colombia", country_id: COLOMBIA, quantity: 1 }]);
    expect(u(BOB).countries_open_notes_current_month).toBeNull();
  });
  test("users of a country: a renamed user under the current name, ties share a rank, fixed order", () => {
    expect(c(COLOMBIA).users_open_notes).toEqual([
      { rank: 1, username: "alicia", user_id: ALICE, quantity: 2 },
      { rank: 2, username: "Anonymous", user_id: -1, quantity: 1 },
    ]);
    expect(c(COLOMBIA).users_solving_notes).toEqual([
      { rank: 1, username: "bob", user_id: BOB, quantity: 2 },
      { rank: 2, username: "carol", user_id: CAROL, quantity: 1 },
    ]);
    expect(c(GERMANY).ranking_users_opening_by_year["2025"]).toEqual([
      { rank: 1, username: "bob", user_id: BOB, quantity: 1 },
      { rank: 1, username: "dave", user_id: DAVE, quantity: 1 },
    ]);
    expect(c(GERMANY).users_open_notes).toEqual([
      { rank: 1, username: "dave", user_id: DAVE, quantity: 3 },
      { rank: 2, username: "bob", user_id: BOB, quantity: 1 },
    ]);
  });
  test("dates with most closes: ties by latest day first", () => {
    expect(u(BOB).dates_most_closed).toEqual([
      { date: "2026-03-15", quantity: 1 },
      { date: "2025-03-13", quantity: 1 },
    ]);
    expect(c(COLOMBIA).dates_most_open).toEqual([
      { date: "2026-02-20", quantity: 1 },
      { date: "2026-01-02", quantity: 1 },
      { date: "2025-03-10", quantity: 1 },
    ]);
    expect(global.top_countries).toEqual([
      { country_id: COLOMBIA, country_name: "Colombia", total_actions: 9 },
      { country_id: GERMANY, country_name: "Deutschland", total_actions: 5 },
    ]);
  });
});

describe("hashtags", () => {
  test("every use counts; per action kind; favourite and counts", () => {
    expect(u(ALICE)).toMatchObject({
      hashtags: [{ rank: 1, hashtag: "mapathon", quantity: 3 }],
      hashtags_opening: [{ rank: 1, hashtag: "mapathon", count: 3 }],
      hashtags_resolution: [],
      favorite_opening_hashtag: "mapathon",
      favorite_resolution_hashtag: null,
      opening_hashtag_count: 3,
      resolution_hashtag_count: 0,
    });
    expect(u(BOB)).toMatchObject({ hashtags_resolution: [{ rank: 1, hashtag: "mapathon", count: 1 }], favorite_resolution_hashtag: "mapathon", resolution_hashtag_count: 1 });
    expect(c(COLOMBIA)).toMatchObject({ hashtags: [{ rank: 1, hashtag: "mapathon", quantity: 4 }], top_opening_hashtag: "mapathon", opening_hashtag_count: 3, resolution_hashtag_count: 1 });
  });
});

describe("applications", () => {
  test("used applications, classes, yearly trends and versions", () => {
    expect(u(ALICE).applications_used).toEqual([
      { app_id: appIds.MapComplete, app_name: "MapComplete", count: 1 },
      { app_id: appIds.StreetComplete, app_name: "StreetComplete", count: 1 },
    ]);
    expect(u(ALICE)).toMatchObject({ most_used_application_id: appIds.MapComplete, desktop_apps_count: 1, mobile_apps_count: 0 });
    expect(u(ALICE).application_usage_trends).toEqual([
      { year: 2025, applications: [{ app_id: appIds.StreetComplete, app_name: "StreetComplete", count: 1, pct: 100 }] },
      { year: 2026, applications: [{ app_id: appIds.MapComplete, app_name: "MapComplete", count: 1, pct: 100 }] },
    ]);
    expect(u(BOB)).toMatchObject({ mobile_apps_count: 1, desktop_apps_count: 0 });
    expect(u(BOB).version_adoption_rates).toEqual([
      { year: 2025, versions: [{ version: "15.3", app_id: appIds.OrganicMaps, count: 1, adoption_rate: 100 }] },
    ]);
    expect(u(DAVE).application_usage_trends).toEqual([
      { year: 2025, applications: null },
      { year: 2026, applications: null },
    ]);
    expect(global.applications_used).toEqual([
      { application_id: appIds.OrganicMaps, application_name: "OrganicMaps", usage_count: 1 },
      { application_id: appIds.MapComplete, application_name: "MapComplete", usage_count: 1 },
      { application_id: appIds.StreetComplete, application_name: "StreetComplete", usage_count: 1 },
    ]);
    expect(global).toMatchObject({ mobile_apps_count: 1, desktop_apps_count: 1 });
  });
});

describe("working hours", () => {
  test("per ISO day (1 = Monday) and UTC hour", () => {
    expect(u(ALICE).working_hours_of_week_opening).toEqual([
      { day_of_week: 1, hour_of_day: 9, count: 1 },
      { day_of_week: 5, hour_of_day: 10, count: 1 },
    ]);
    expect(u(ALICE).working_hours_of_week_closing).toEqual([{ day_of_week: 4, hour_of_day: 1, count: 1 }]);
    expect(u(BOB).working_hours_of_week_closing).toEqual([
      { day_of_week: 4, hour_of_day: 11, count: 1 },
      { day_of_week: 7, hour_of_day: 7, count: 1 },
    ]);
    expect(u(ALICE).working_hours_of_week_commenting).toBeNull();
  });
});

describe("comments and collaboration", () => {
  test("comment quality", () => {
    const len = "@alice fixed? see https://osm.org".length;
    expect(u(BOB)).toMatchObject({
      avg_comment_length: len, comments_with_url_count: 1, comments_with_url_pct: 100,
      comments_with_mention_count: 1, comments_with_mention_pct: 100, avg_comments_per_note: 1,
    });
    expect(u(ALICE)).toMatchObject({ avg_comment_length: 0, comments_with_url_pct: 0, avg_comments_per_note: 0 });
  });
  test("response time to others' notes and collaboration patterns", () => {
    // bob: N1 opened 2025-03-10 09:00, his comment 2025-03-12 10:00 → 2 d 1 h.
    expect(u(BOB).user_response_time).toBe(2.04);
    // alice: N3 opened by bob 2025-12-31 23:00, closed by her 2 h later.
    expect(u(ALICE).user_response_time).toBe(0.08);
    // carol: N2 (58 d 2 h) and N5 (1 d) → 29.54; her reopen of N1 is no response.
    expect(u(CAROL).user_response_time).toBe(29.54);
    expect(u(ALICE).collaboration_patterns).toEqual({ mentions_given: 0, mentions_received: 1, replies_count: 0, collaboration_score: 1 });
    expect(u(BOB).collaboration_patterns).toEqual({ mentions_given: 1, mentions_received: 0, replies_count: 0, collaboration_score: 1 });
  });
});

describe("contributor type and patterns", () => {
  test("classification on 2026-03-15", () => {
    expect(u(ALICE).id_contributor_type).toBe(6); // first action 2025 → Junior
    expect(u(BOB).id_contributor_type).toBe(6);
    expect(u(CAROL).id_contributor_type).toBe(2); // first action 2026-02-21, within 30 days → Just starting
    expect(u(DAVE).id_contributor_type).toBe(6);
    expect(u(ALICE).days_since_last_action).toBe(72);
    expect(u(BOB).days_since_last_action).toBe(0);
  });
  test("usual time, note quality and peaks", () => {
    // dave: three one-character openings at 12:00, 12:00 and 15:00 (afternoon), one per day.
    expect(u(DAVE)).toMatchObject({ period_of_day: "Afternoon", note_quality_poor_count: 3, peak_day_notes_created: "2026-03-10", peak_day_notes_created_count: 1 });
    expect(u(ALICE)).toMatchObject({ note_quality_good_count: 2, peak_hour_notes_created: 4 * 24 + 10 });
  });
});

describe("badges", () => {
  test("awarded from the rows, once", async () => {
    const rows = await db.sql<{ user_id: number; badge_name: string }[]>`
      SELECT bu.user_id, b.badge_name FROM dwh.badges_per_users bu JOIN dwh.badges b USING (badge_id) ORDER BY 1, 2`;
    expect(rows.filter((r) => r.user_id === ALICE).map((r) => r.badge_name)).toEqual(["First Close", "First Note"]);
    expect(rows.filter((r) => r.user_id === BOB).map((r) => r.badge_name)).toEqual(["First Close", "First Comment", "First Note"]);
  });
});
