// Our schemas against the real output of the original (/work/shared/data/published). The
// original has documented defects (consumers.md, datamarts-export §7.3 and §13); each fix-up
// below names the defect it repairs, and each test states exactly which rules the raw file
// breaks, so a schema change that starts accepting a defect (or rejecting a good file) fails.
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Glob } from "bun";
import { documentSchemas } from "./document-kinds.ts";
import { validateDocument, type ValidationIssue } from "../validator.ts";
import type { DocumentKind } from "./document-kinds.ts";

const PUBLISHED = "/work/shared/data/published";
type Doc = Record<string, unknown>;
const read = (rel: string): Doc => JSON.parse(readFileSync(join(PUBLISHED, rel), "utf8")) as Doc;
const userFiles = [...new Glob("users/*/*/*/*.json").scanSync(PUBLISHED)].sort();
const countryFiles = readdirSync(join(PUBLISHED, "countries")).map((n) => `countries/${n}`).sort();

/** Distinct "keyword detail" strings of the issues, years and array indexes generalised. */
function rules(issues: ValidationIssue[]): string[] {
  const out = new Set<string>();
  for (const i of issues) {
    const detail =
      (i.params.missingProperty as string | undefined) ??
      (i.params.additionalProperty as string | undefined) ??
      i.instancePath.replace(/\d{4}/g, "YYYY").replace(/\/\d+(\/|$)/g, "/N$1");
    out.add(`${i.keyword} ${detail}`);
  }
  return [...out].sort();
}

/** Both validators (zod at runtime, Ajv on the generated JSON Schema) must agree. */
function bothAccept(kind: DocumentKind, doc: unknown): void {
  expect(validateDocument(kind, doc)).toEqual([]);
  const parsed = documentSchemas[kind].safeParse(doc);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
}

// Keys the original's user export lacks: it published the table variant of an older schema
// (138 keys, §7.3: no contributor-type join, no resolution/application/quality columns).
const USER_KEYS_MISSING_IN_ORIGINAL = [
  "active_notes_count", "application_usage_trends", "applications_used", "avg_comment_length",
  "avg_comments_per_note", "avg_days_to_resolution", "collaboration_patterns", "comments_with_mention_count",
  "comments_with_mention_pct", "comments_with_url_count", "comments_with_url_pct", "contributor_type_name",
  "contributor_type_name_en", "days_since_last_action", "desktop_apps_count", "favorite_opening_hashtag",
  "favorite_resolution_hashtag", "hashtags_comments", "hashtags_opening", "hashtags_resolution", "hour_of_week",
  "iso_week", "last_action_timestamp", "median_days_to_resolution", "mobile_apps_count", "month_name",
  "most_used_application_id", "note_quality_complex_count", "note_quality_fair_count", "note_quality_good_count",
  "note_quality_poor_count", "note_quality_treatise_count", "notes_age_distribution", "notes_backlog_size",
  "notes_created_last_30_days", "notes_opened_but_not_closed_by_user", "notes_resolved_count",
  "notes_resolved_last_30_days", "notes_still_open_count", "opening_hashtag_count", "peak_day_notes_created",
  "peak_day_notes_created_count", "peak_hour_notes_created", "peak_hour_notes_created_count", "period_of_day",
  "quarter", "resolution_by_month", "resolution_by_year", "resolution_hashtag_count", "resolution_rate",
  "user_response_time", "version_adoption_rates",
];
// The optional DM-006..010 columns (§4.2) were never installed in the original's production.
const COUNTRY_KEYS_MISSING_IN_ORIGINAL = [
  "longest_resolution_notes", "note_quality_complex_count", "note_quality_fair_count", "note_quality_good_count",
  "note_quality_poor_count", "note_quality_treatise_count", "open_notes_by_year", "peak_day_notes_created",
  "peak_day_notes_created_count", "peak_hour_notes_created", "peak_hour_notes_created_count",
];
const LATEST = ["open", "commented", "closed", "reopened"].map((a) => `latest_${a}_note_id`);

/** Defect 1 (consumers.md mismatch 1): only `lastest_*` published; we emit both spellings. */
function addLatestSpelling(doc: Doc): void {
  for (const action of ["open", "commented", "closed", "reopened"]) {
    const old = `lastest_${action}_note_id`;
    if (old in doc) doc[`latest_${action}_note_id`] = doc[old];
  }
}

/** Defect 2 (§3.2 BUG): history_whole_closed_with_comment is never written, always null. */
function fixClosedWithComment(doc: Doc): void {
  if (doc.history_whole_closed_with_comment === null) doc.history_whole_closed_with_comment = 0;
}

/**
 * Defect 3: per-year keys exist for every year column of the table, null where nothing was
 * computed; we emit per-year keys only for years with data (a null count is dropped, a null
 * ranking of a year with data becomes []).
 */
function fixYearKeys(doc: Doc): void {
  for (const key of Object.keys(doc)) {
    if (/^history_\d{4}_/.test(key) && doc[key] === null) delete doc[key];
  }
  for (const key of Object.keys(doc)) {
    const year = /^ranking_\w+_(\d{4})$/.exec(key)?.[1];
    if (year === undefined || doc[key] !== null) continue;
    if (`history_${year}_open` in doc) doc[key] = [];
    else delete doc[key];
  }
}

describe("user profiles (20 real files)", () => {
  test("raw files are rejected for exactly the documented defects", () => {
    expect(userFiles.length).toBe(20);
    const seen = new Set<string>();
    for (const file of userFiles) for (const r of rules(validateDocument("user-profile", read(file)))) seen.add(r);
    expect([...seen].sort()).toEqual(
      [
        ...[...USER_KEYS_MISSING_IN_ORIGINAL, ...LATEST].map((k) => `required ${k}`),
        "type /history_whole_closed_with_comment", // defect 2
        "type /ranking_countries_opening_YYYY", // defect 3 (null)
        "type /ranking_countries_closing_YYYY",
        "required country", // defect 4: ranking items lack `country` (consumers.md mismatch 2)
      ].sort(),
    );
  });

  test("after the documented fix-ups every real profile validates (Ajv and zod)", () => {
    for (const file of userFiles) {
      const doc = read(file);
      addLatestSpelling(doc);
      fixClosedWithComment(doc);
      fixYearKeys(doc);
      // Defect 4: per-year ranking items {rank, country_name, quantity}; the Viewer reads `country`.
      for (const [key, value] of Object.entries(doc)) {
        if (/^ranking_countries_/.test(key) && Array.isArray(value)) {
          for (const item of value as Doc[]) item.country = item.country_name;
        }
      }
      for (const key of USER_KEYS_MISSING_IN_ORIGINAL) doc[key] = null;
      bothAccept("user-profile", doc);
    }
  });
});

describe("country profiles (8 real files, -1 included)", () => {
  test("raw files are rejected for exactly the documented defects", () => {
    expect(countryFiles).toContain("countries/-1.json");
    const seen = new Set<string>();
    for (const file of countryFiles) {
      for (const r of rules(validateDocument("country-profile", read(file)))) seen.add(r);
    }
    expect([...seen].sort()).toEqual(
      [
        ...[...COUNTRY_KEYS_MISSING_IN_ORIGINAL, ...LATEST].map((k) => `required ${k}`),
        // Defect 5 (§13 #24): internal columns leak into the public JSON.
        "additionalProperties json_exported",
        "additionalProperties last_year_processed",
        "type /history_whole_closed_with_comment",
        ...["open", "commented", "closed", "closed_with_comment", "reopened"].map((a) => `type /history_YYYY_${a}`),
        "type /ranking_users_opening_YYYY",
        "type /ranking_users_closing_YYYY",
      ].sort(),
    );
  });

  test("after the documented fix-ups every real profile validates (Ajv and zod)", () => {
    for (const file of countryFiles) {
      const doc = read(file);
      delete doc.json_exported;
      delete doc.last_year_processed;
      addLatestSpelling(doc);
      fixClosedWithComment(doc);
      fixYearKeys(doc);
      for (const key of COUNTRY_KEYS_MISSING_IN_ORIGINAL) doc[key] = null;
      bothAccept("country-profile", doc);
    }
  });
});

describe("indexes and metadata", () => {
  test("user index: all 1638 entries lack only the recent-note ids (consumers.md mismatch 3)", () => {
    const index = read("indexes/users.json") as unknown as Doc[];
    expect(index.length).toBe(1638);
    const ids = ["open", "commented", "closed"].flatMap((a) => [`lastest_${a}_note_id`, `latest_${a}_note_id`]);
    expect(rules(validateDocument("user-index", index))).toEqual(ids.map((k) => `required ${k}`).sort());
    for (const entry of index) for (const k of ids) entry[k] = null;
    bothAccept("user-index", index);
    // Usernames are never null in the real index either.
    expect(index.every((e) => typeof e.username === "string" && e.username !== "")).toBe(true);
  });

  test("country index: 282 entries lack only dates_most_open (the home activity chart)", () => {
    const index = read("indexes/countries.json") as unknown as Doc[];
    expect(index.length).toBe(282);
    expect(rules(validateDocument("country-index", index))).toEqual(["required dates_most_open"]);
    for (const entry of index) entry.dates_most_open = [];
    bothAccept("country-index", index);
  });

  test("metadata: the original's 4-field file lacks the fields its own exporter documents", () => {
    const doc = read("metadata.json");
    expect(rules(validateDocument("metadata", doc))).toEqual(
      ["api_compat_min", "data_schema_hash", "export_timestamp", "schema_version"].map((k) => `required ${k}`),
    );
    Object.assign(doc, {
      export_timestamp: Date.parse(doc.export_date as string) / 1000,
      schema_version: "1.0.0",
      api_compat_min: "1.0.0",
      data_schema_hash: "0".repeat(64),
    });
    bothAccept("metadata", doc);
  });
});
