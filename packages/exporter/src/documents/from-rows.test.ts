import { describe, expect, test } from "bun:test";
import { columns, rows } from "@osm-notes/dwh-sql";
import { validateDocument } from "../validator.ts";
import {
  byActivity,
  countryIndexEntryFromRow,
  countryProfileFromRow,
  globalStatsFromRow,
  userIndexEntryFromRow,
  userProfileFromRow,
} from "./from-rows.ts";

/** A row as postgres.js returns it: every column present, most null; numeric as strings. */
function rawRow(table: "datamartusers" | "datamartcountries" | "datamartglobal", values: Record<string, unknown>) {
  const row: Record<string, unknown> = {};
  for (const c of columns[table]) row[c] = /^history_(whole|year|month|day)_/.test(c) ? 0 : null;
  return { ...row, updated_at: new Date("2026-11-26T10:00:00Z"), ...values };
}

const userRow = () =>
  rows.datamartusers.parse(
    rawRow("datamartusers", {
      user_id: 4097,
      dimension_user_id: 12,
      username: null, // a dimension row without a name
      date_starting_creating_notes: new Date("2013-04-24T00:00:00Z"),
      latest_open_note_id: 99,
      last_year_activity: "0".repeat(370) + "3",
      history_whole_open: 5,
      history_by_year: { "2013": { open: 5, commented: 0, closed: 1, closed_with_comment: 1, reopened: 0 } },
      ranking_countries_opening_by_year: { "2013": [{ rank: 1, country_name: "Chile", quantity: 5 }] },
      ranking_countries_closing_by_year: {},
      countries_open_notes: [{ rank: 1, country: "Chile", country_name: "Chile", quantity: 5 }],
      avg_days_to_resolution: "1.50",
      resolution_rate: "50.00",
      collaboration_patterns: { mentions_given: 1, mentions_received: 0, replies_count: 2, collaboration_score: 3 },
      resolution_by_month: [{ year: 2013, month: 4, avg_days: 1.5, median_days: 1.5, resolution_rate: 50 }],
      last_action_timestamp: new Date("2013-04-24T10:11:12Z"),
    }),
  );

describe("datamart rows → documents", () => {
  test("user row: valid profile and index entry, Viewer fix-ups applied", () => {
    const row = userRow();
    const doc = userProfileFromRow(row, { name: "Hit-and-run notero", name_en: "Hit and run" });
    expect(validateDocument("user-profile", doc)).toEqual([]);
    expect(doc.username).toBe("user_4097");
    expect(doc.date_starting_creating_notes).toBe("2013-04-24");
    expect(doc.avg_days_to_resolution).toBe(1.5);
    expect(doc.lastest_open_note_id).toBe(99);
    expect(doc.history_2013_closed).toBe(1);
    expect(doc.ranking_countries_opening_2013).toEqual([{ rank: 1, country: "Chile", country_name: "Chile", quantity: 5 }]);
    expect(doc.countries_open_notes).toEqual([{ rank: 1, country: "Chile", quantity: 5 }]);
    expect(doc.last_action_timestamp).toBe("2013-04-24T10:11:12");
    expect("updated_at" in doc || "json_exported" in doc || "history_by_year" in doc).toBe(false);
    expect(validateDocument("user-index", [userIndexEntryFromRow(row)])).toEqual([]);
  });

  test("the order of a row's keys does not change the document's bytes (to_jsonb and row_to_json rows)", () => {
    const row = userRow() as unknown as Record<string, unknown>;
    for (const k of ["history_whole_open", "history_year_closed", "history_month_commented", "history_day_reopened"]) row[k] = 3;
    const reversed = Object.fromEntries(Object.entries(row).reverse()) as unknown as ReturnType<typeof userRow>;
    const a = JSON.stringify(userProfileFromRow(row as unknown as ReturnType<typeof userRow>));
    expect(JSON.stringify(userProfileFromRow(reversed))).toBe(a);
    // jsonb's key order: shorter keys first, then bytewise.
    const keys = Object.keys(JSON.parse(a)).filter((k) => /^history_(whole|year|month|day)_/.test(k));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toEqual([...keys].sort((x, y) => x.length - y.length || (x < y ? -1 : 1)));
  });

  test("country row and global row", () => {
    const country = rows.datamartcountries.parse(
      rawRow("datamartcountries", {
        country_id: -1,
        dimension_country_id: 1,
        country_name: "Unkown - International waters",
        history_by_year: {},
        ranking_users_opening_by_year: {},
        ranking_users_closing_by_year: {},
        users_open_notes: [{ rank: 1, username: null, quantity: 2 }],
        notes_health_score: "81.13",
        last_year_processed: 2026,
      }),
    );
    const doc = countryProfileFromRow(country);
    expect(validateDocument("country-profile", doc)).toEqual([]);
    expect(doc.last_year_activity).toBe("0".repeat(371));
    expect("last_year_processed" in doc).toBe(false);
    expect(validateDocument("country-index", [countryIndexEntryFromRow(country)])).toEqual([]);

    const global = rows.datamartglobal.parse(
      rawRow("datamartglobal", {
        dimension_global_id: 1,
        resolution_rate: "12.5",
        exported_at: null,
        ...Object.fromEntries(
          ["currently_open_count", "currently_closed_count", "notes_created_last_30_days", "notes_resolved_last_30_days", "notes_backlog_size"].map((k) => [k, 0]),
        ),
      }),
    );
    const stats = globalStatsFromRow(global);
    expect(validateDocument("global-stats", stats)).toEqual([]);
    expect(stats.resolution_rate).toBe(12.5);
    expect("avg_days_to_resolution" in stats).toBe(false); // null → key left out
  });

  test("index order: opens desc, closes desc, then id", () => {
    const entries = [
      { user_id: 3, history_whole_open: 1, history_whole_closed: 9 },
      { user_id: 1, history_whole_open: 5, history_whole_closed: 0 },
      { user_id: 2, history_whole_open: 1, history_whole_closed: 9 },
    ];
    expect(entries.sort(byActivity((e) => e.user_id)).map((e) => e.user_id)).toEqual([1, 2, 3]);
  });
});
