import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type Sql, type TestDatabase } from "@osm-notes/testkit";
import { migrate } from "./index.ts";

const template = { name: "dwh", prepare: async (sql: Sql) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

describe("dimension_days", () => {
  test("covers 2013-01-01 to the end of next year, one row per day, yyyymmdd ids", async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    const [r] = await db.sql`
      SELECT min(date_id)::text AS first, max(date_id)::text AS last, count(*)::int AS n,
             count(*) FILTER (WHERE dimension_day_id <> to_char(date_id, 'YYYYMMDD')::int)::int AS bad_ids
      FROM dwh.dimension_days`;
    const days = (Date.UTC(nextYear, 11, 31) - Date.UTC(2013, 0, 1)) / 86_400_000 + 1;
    expect(r).toEqual({ first: "2013-01-01", last: `${nextYear}-12-31`, n: days, bad_ids: 0 });
  });

  test("attributes of known days", async () => {
    const rows = await db.sql`
      SELECT dimension_day_id, year, month, day, iso_year, iso_week, day_of_year, quarter, month_name, day_name,
             is_weekend, is_month_end, is_quarter_end, is_year_end
      FROM dwh.dimension_days WHERE date_id IN ('2016-01-03', '2020-02-29', '2020-12-31') ORDER BY date_id`;
    expect([...rows]).toEqual([
      { dimension_day_id: 20160103, year: 2016, month: 1, day: 3, iso_year: 2015, iso_week: 53, day_of_year: 3, quarter: 1,
        month_name: "Jan", day_name: "Sun", is_weekend: true, is_month_end: false, is_quarter_end: false, is_year_end: false },
      { dimension_day_id: 20200229, year: 2020, month: 2, day: 29, iso_year: 2020, iso_week: 9, day_of_year: 60, quarter: 1,
        month_name: "Feb", day_name: "Sat", is_weekend: true, is_month_end: true, is_quarter_end: false, is_year_end: false },
      { dimension_day_id: 20201231, year: 2020, month: 12, day: 31, iso_year: 2020, iso_week: 53, day_of_year: 366, quarter: 4,
        month_name: "Dec", day_name: "Thu", is_weekend: false, is_month_end: true, is_quarter_end: true, is_year_end: true },
    ]);
  });

  test("ensure_days extends the range set-based and only adds missing days", async () => {
    const [r] = await db.sql`SELECT dwh.ensure_days('2012-12-25', '2013-01-05') AS n`;
    expect(r?.n).toBe(7);
    const [again] = await db.sql`SELECT dwh.ensure_days('2012-12-25', '2013-01-05') AS n`;
    expect(again?.n).toBe(0);
  });

  test("get_date_id and get_hour_of_week_id are arithmetic on the timestamp", async () => {
    const [r] = await db.sql`
      SELECT dwh.get_date_id('2024-07-14 23:30') AS d, dwh.get_hour_of_week_id('2024-07-14 23:30') AS h,
             dwh.get_hour_of_week_id('2024-07-15 00:00') AS monday`;
    expect(r).toEqual({ d: 20240714, h: 723, monday: 100 });
  });
});

describe("static seeds", () => {
  test("time of week: 168 rows, ids isodow*100+hour, periods", async () => {
    const [r] = await db.sql`
      SELECT count(*)::int AS n, min(dimension_tow_id) AS lo, max(dimension_tow_id) AS hi,
             max(hour_of_week) AS last_hour,
             string_agg(DISTINCT period_of_day, ',' ORDER BY period_of_day) AS periods
      FROM dwh.dimension_time_of_week`;
    expect(r).toEqual({ n: 168, lo: 100, hi: 723, last_hour: 167, periods: "Afternoon,Evening,Morning,Night" });
    const [tue] = await db.sql`SELECT * FROM dwh.dimension_time_of_week WHERE dimension_tow_id = 213`;
    expect(tue).toEqual({ dimension_tow_id: 213, day_of_week: 2, hour_of_day: 13, hour_of_week: 37, period_of_day: "Afternoon" });
  });

  test("continents, regions, seasons, experience and automation levels, contributor types, timezones", async () => {
    const [r] = await db.sql`
      SELECT (SELECT string_agg(continent_name_en, ',' ORDER BY dimension_continent_id) FROM dwh.dimension_continents) AS continents,
             (SELECT count(*)::int FROM dwh.dimension_regions) AS regions,
             (SELECT region_name_en FROM dwh.dimension_regions WHERE dimension_region_id = 1) AS first_region,
             (SELECT string_agg(season_name_en, ',' ORDER BY dimension_season_id) FROM dwh.dimension_seasons) AS seasons,
             (SELECT string_agg(experience_level, ',' ORDER BY level_order) FROM dwh.dimension_experience_levels) AS levels,
             (SELECT string_agg(automation_level || ':' || confidence_score, ',' ORDER BY dimension_automation_id)
                FROM dwh.dimension_automation_level) AS automation,
             (SELECT count(*)::int FROM dwh.contributor_types) AS contributor_types,
             (SELECT count(*)::int FROM dwh.dimension_timezones) AS timezones,
             (SELECT utc_offset_minutes FROM dwh.dimension_timezones WHERE tz_name = 'UTC-5') AS minus5,
             (SELECT utc_offset_minutes FROM dwh.dimension_timezones WHERE tz_name = 'UTC+14') AS plus14`;
    expect(r).toEqual({
      continents: "Africa,Americas,Antarctica,Asia,Europe,Oceania",
      regions: 20,
      first_region: "Undefined",
      seasons: "No season,Spring,Summer,Autumn,Winter",
      levels: "newcomer,beginner,intermediate,advanced,expert,master,legend",
      automation: "human:0.90,probably_human:0.70,uncertain:0.50,probably_automated:0.70,automated:0.90,bulk_import:0.95",
      contributor_types: 23,
      timezones: 1 + 26 + 20,
      minus5: -300,
      plus14: 840,
    });
    const [legend] = await db.sql`SELECT min_notes_opened, min_notes_closed, min_days_active FROM dwh.dimension_experience_levels WHERE dimension_experience_id = 7`;
    expect(legend).toEqual({ min_notes_opened: 1000, min_notes_closed: 600, min_days_active: 730 });
  });

  test("Anonymous user and the -1 country are seeded", async () => {
    const [anon] = await db.sql`SELECT user_id, username, is_current FROM dwh.dimension_users`;
    expect(anon).toEqual({ user_id: -1, username: "Anonymous", is_current: true });
    const [unknown] = await db.sql`
      SELECT c.country_name_en, c.country_name_es, r.region_name_en
      FROM dwh.dimension_countries c JOIN dwh.dimension_regions r ON r.dimension_region_id = c.region_id
      WHERE c.country_id = -1`;
    expect(unknown).toEqual({
      country_name_en: "Unknown - International waters",
      country_name_es: "Desconocido - Aguas internacionales",
      region_name_en: "Undefined",
    });
  });

  test("a renamed user can take a name another account had: username is not unique", async () => {
    await db.sql`INSERT INTO dwh.dimension_users (user_id, username) VALUES (10, 'same'), (11, 'same')`;
    const err = await db.sql`INSERT INTO dwh.dimension_users (user_id, username) VALUES (10, 'second current row')`
      .catch((e: { code?: string }) => e.code);
    expect(err).toBe("23505"); // but only one current row per OSM user
    await db.sql`DELETE FROM dwh.dimension_users WHERE user_id IN (10, 11)`;
  });
});

describe("country reference data", () => {
  test("covers the published areas with ISO codes and regions", async () => {
    const [r] = await db.sql`
      SELECT count(*)::int AS n, count(iso_alpha2)::int AS with_iso,
             count(*) FILTER (WHERE region_id = 1)::int AS undefined_region
      FROM dwh.iso_country_codes`;
    expect(r?.n).toBe(281);
    expect(r?.with_iso).toBeGreaterThan(210);
    expect(r?.undefined_region).toBeLessThan(3);
  });

  test("fixes the original's wrong relation ids", async () => {
    const rows = await db.sql`
      SELECT osm_country_id, iso_alpha2, iso_alpha3, r.region_name_en FROM dwh.iso_country_codes i
      JOIN dwh.dimension_regions r ON r.dimension_region_id = i.region_id
      WHERE osm_country_id IN (2202162, 270056, 14296, 2978650, 192830, 279001) ORDER BY osm_country_id`;
    expect([...rows]).toEqual([
      { osm_country_id: 14296, iso_alpha2: "SK", iso_alpha3: "SVK", region_name_en: "Eastern Europe" },
      { osm_country_id: 192830, iso_alpha2: "CM", iso_alpha3: "CMR", region_name_en: "Sub-Saharan Africa" },
      { osm_country_id: 270056, iso_alpha2: "CN", iso_alpha3: "CHN", region_name_en: "East Asia" },
      { osm_country_id: 279001, iso_alpha2: null, iso_alpha3: null, region_name_en: "North America" },
      { osm_country_id: 2202162, iso_alpha2: "FR", iso_alpha3: "FRA", region_name_en: "Western Europe" },
      { osm_country_id: 2978650, iso_alpha2: "NO", iso_alpha3: "NOR", region_name_en: "Western Europe" },
    ]);
  });
});

describe("applications", () => {
  test("the most specific pattern wins: platform rows of OrganicMaps before the generic one", async () => {
    const bodies = [
      "Shop closed #organicmaps android",
      "Shop closed #organicmaps ios",
      "Shop closed #organicmaps",
      "Missing bench via StreetComplete 57.1",
      "Added with iD 2.20",
      "Plain note",
    ];
    const found = await db.sql<{ body: string; app: string | null; platform: string | null }[]>`
      SELECT b.body, m.application_name AS app, m.platform
      FROM unnest(${bodies}::text[]) WITH ORDINALITY AS b(body, ord)
      LEFT JOIN LATERAL (
        SELECT a.application_name, a.platform FROM dwh.dimension_applications a
        WHERE a.pattern IS NOT NULL AND a.active AND b.body SIMILAR TO a.pattern
        ORDER BY a.priority LIMIT 1) m ON true
      ORDER BY b.ord`;
    expect(found.map((f) => [f.app, f.platform])).toEqual([
      ["OrganicMaps", "android"],
      ["OrganicMaps", "ios"],
      ["OrganicMaps", null],
      ["StreetComplete", null],
      ["iD", null],
      [null, null],
    ]);
  });
});
