import { describe, expect, test } from "bun:test";
import { validateDocument } from "../validator.ts";
import { sampleCountryProfile, sampleUserProfile } from "../../test/sample-documents.ts";
import { countryYearKeys, noteIdsWithBothSpellings, userYearKeys } from "./legacy-keys.ts";

describe("year families → legacy keys", () => {
  test("user: one key set per year with data, items carry country and country_name", () => {
    const keys = userYearKeys({
      history_by_year: {
        "2013": { open: 43, commented: 3, closed: 9, closed_with_comment: 9, reopened: 1 },
        "2026": { open: 2, commented: 0, closed: 0, closed_with_comment: 0, reopened: 0 },
      },
      ranking_countries_opening_by_year: { "2013": [{ rank: 1, country_name: "Italia", quantity: 23 }] },
      ranking_countries_closing_by_year: {},
    });
    expect(keys).toEqual({
      history_2013_open: 43, history_2013_commented: 3, history_2013_closed: 9, history_2013_closed_with_comment: 9,
      history_2013_reopened: 1,
      ranking_countries_opening_2013: [{ rank: 1, country: "Italia", country_name: "Italia", quantity: 23 }],
      ranking_countries_closing_2013: [],
      history_2026_open: 2, history_2026_commented: 0, history_2026_closed: 0, history_2026_closed_with_comment: 0,
      history_2026_reopened: 0,
      ranking_countries_opening_2026: [], ranking_countries_closing_2026: [],
    });
    const doc = { ...stripYears(sampleUserProfile(1)), ...keys };
    expect(validateDocument("user-profile", doc)).toEqual([]);
  });

  test("country: years beyond 2025 are kept (the original froze at a hard-coded range)", () => {
    const keys = countryYearKeys({
      history_by_year: { "2031": { open: 1, commented: 1, closed: 1, closed_with_comment: 0, reopened: 0 } },
      ranking_users_opening_by_year: { "2031": [{ rank: 1, username: "x", quantity: 1 }] },
      ranking_users_closing_by_year: { "2031": [{ rank: 1, username: null, quantity: 1 }] },
    });
    expect(keys.history_2031_open).toBe(1);
    expect(keys.ranking_users_closing_2031).toEqual([{ rank: 1, username: "", quantity: 1 }]);
    expect(validateDocument("country-profile", { ...stripYears(sampleCountryProfile(5)), ...keys })).toEqual([]);
  });

  test("both note-id spellings", () => {
    const ids = noteIdsWithBothSpellings({
      latest_open_note_id: 5, latest_commented_note_id: null, latest_closed_note_id: 7, latest_reopened_note_id: null,
    });
    expect(ids.lastest_open_note_id).toBe(5);
    expect(ids.lastest_closed_note_id).toBe(7);
    expect(ids.latest_commented_note_id).toBeNull();
  });
});

function stripYears<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !/\d{4}/.test(k))) as T;
}
