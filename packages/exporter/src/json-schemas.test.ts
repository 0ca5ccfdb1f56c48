import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { documentKinds, documentSchemas } from "./documents/document-kinds.ts";
import { dataSchemaHash, jsonSchemaText, schemaFileName } from "./json-schemas.ts";
import { validateDocument } from "./validator.ts";
import { sampleCountryProfile, sampleGlobalStats, sampleUserProfile } from "../test/sample-documents.ts";

const SCHEMA_DIR = join(import.meta.dir, "..", "schemas");

describe("generated JSON Schemas", () => {
  test("committed schemas/*.json are exactly what the zod source generates (run `bun run schemas`)", () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(documentKinds.map(schemaFileName).sort());
    for (const kind of documentKinds) {
      expect(readFileSync(join(SCHEMA_DIR, schemaFileName(kind)), "utf8")).toBe(jsonSchemaText(kind));
    }
  });

  test("draft 2020-12, strict objects, per-year keys as patternProperties", () => {
    const user = JSON.parse(jsonSchemaText("user-profile"));
    expect(user.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(user.additionalProperties).toBe(false);
    expect(Object.keys(user.patternProperties)).toEqual([
      String.raw`^history_\d{4}_(open|commented|closed|closed_with_comment|reopened)$`,
      String.raw`^ranking_countries_(opening|closing)_\d{4}$`,
    ]);
    expect(user.required).toContain("lastest_open_note_id");
    expect(user.required).toContain("latest_open_note_id");
    expect(dataSchemaHash()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("zod and Ajv agree on the Viewer contract", () => {
  function both(kind: Parameters<typeof validateDocument>[0], doc: unknown): [boolean, boolean] {
    return [validateDocument(kind, doc).length === 0, documentSchemas[kind].safeParse(doc).success];
  }

  test("valid samples pass both", () => {
    expect(both("user-profile", sampleUserProfile(1))).toEqual([true, true]);
    expect(both("country-profile", sampleCountryProfile(-1))).toEqual([true, true]);
    expect(both("global-stats", sampleGlobalStats())).toEqual([true, true]);
  });

  test("a per-year count given as a string fails both, with the pointer and rule", () => {
    const doc = { ...sampleUserProfile(7), history_2031_open: "12" };
    expect(both("user-profile", doc)).toEqual([false, false]);
    const issues = validateDocument("user-profile", doc);
    expect(issues[0]).toMatchObject({ instancePath: "/history_2031_open", keyword: "type" });
    expect(issues[0]!.schemaPath).toContain("patternProperties");
  });

  test("a per-year year with a new year number passes both; an unknown key fails both", () => {
    expect(both("user-profile", { ...sampleUserProfile(7), history_2031_reopened: 3 })).toEqual([true, true]);
    expect(both("user-profile", { ...sampleUserProfile(7), history_2031_deleted: 3 })).toEqual([false, false]);
    expect(both("user-profile", { ...sampleUserProfile(7), json_exported: true })).toEqual([false, false]);
  });

  test("numbers not strings, non-null username, 371-character activity", () => {
    expect(both("user-profile", { ...sampleUserProfile(7), username: null })).toEqual([false, false]);
    expect(both("user-profile", { ...sampleUserProfile(7), history_whole_open: "5" })).toEqual([false, false]);
    expect(both("user-profile", { ...sampleUserProfile(7), last_year_activity: "0".repeat(370) })).toEqual([false, false]);
    expect(both("user-profile", { ...sampleUserProfile(7), avg_days_to_resolution: "1.50" })).toEqual([false, false]);
    // NaN would be written as null by JSON.stringify: both validators refuse it (Ajv: strict numbers).
    expect(validateDocument("user-profile", { ...sampleUserProfile(7), avg_days_to_resolution: Number.NaN })).not.toEqual([]);
  });

  test("folded nullables keep their constraints: null passes, wrong values fail both", () => {
    const base = sampleUserProfile(7);
    expect(both("user-profile", { ...base, notes_resolved_count: null })).toEqual([true, true]);
    expect(both("user-profile", { ...base, notes_resolved_count: -1 })).toEqual([false, false]);
    expect(both("user-profile", { ...base, notes_resolved_count: "3" })).toEqual([false, false]);
    expect(both("user-profile", { ...base, date_starting_solving_notes: null })).toEqual([true, true]);
    expect(both("user-profile", { ...base, date_starting_solving_notes: "2024-1-1" })).toEqual([false, false]);
    expect(both("user-profile", { ...base, dates_most_closed: [{ date: "2024-01-01", quantity: 1, extra: 1 }] })).toEqual([false, false]);
    expect(JSON.stringify(JSON.parse(jsonSchemaText("user-profile")))).not.toContain("anyOf");
  });

  test("global stats: resolution_rate null or a string is refused, absence is allowed", () => {
    expect(both("global-stats", { ...sampleGlobalStats(), resolution_rate: null })).toEqual([false, false]);
    expect(both("global-stats", { ...sampleGlobalStats(), avg_days_to_resolution: "3.2" })).toEqual([false, false]);
    const { resolution_rate: _r, avg_days_to_resolution: _a, ...rest } = sampleGlobalStats();
    expect(both("global-stats", rest)).toEqual([true, true]);
  });

  test("ranking items must carry the keys the Viewer reads", () => {
    const doc = sampleUserProfile(7);
    doc.ranking_countries_opening_2024 = [{ rank: 1, country_name: "Chile", quantity: 3 } as never];
    expect(both("user-profile", doc)).toEqual([false, false]);
  });
});
