import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as generated from "./_document-validators.generated.ts";
import type { DocumentKind } from "./documents/document-kinds.ts";
import { jsonSchemaOf } from "./json-schemas.ts";
import { GENERATED_VALIDATORS_FILE, generatedValidatorsText } from "./validator-code.ts";
import { FAST_OPTIONS, validateDocument, validatorName } from "./validator.ts";
import {
  sampleCountryIndexEntry,
  sampleCountryProfile,
  sampleGlobalStats,
  sampleMetadata,
  sampleUserIndexEntry,
  sampleUserProfile,
} from "../test/sample-documents.ts";

describe("validators generated ahead of time", () => {
  test("the committed module is exactly what the schemas generate (run `bun run schemas`)", () => {
    expect(readFileSync(join(import.meta.dir, GENERATED_VALIDATORS_FILE), "utf8")).toBe(generatedValidatorsText());
  });

  test("they accept and refuse exactly what validators compiled at run time do", () => {
    const ajv = new Ajv2020(FAST_OPTIONS);
    const runTime = new Map<DocumentKind, (d: unknown) => boolean>();
    const compiled = (kind: DocumentKind) => runTime.get(kind) ?? runTime.set(kind, ajv.compile(jsonSchemaOf(kind))).get(kind)!;
    const cases: Array<[DocumentKind, unknown]> = [
      ["user-profile", sampleUserProfile(7)],
      ["user-profile", sampleUserProfile(7, "😀")],
      ["user-profile", sampleUserProfile(7, "")],
      ["user-profile", { ...sampleUserProfile(7), history_2031_open: "12" }],
      ["user-profile", { ...sampleUserProfile(7), last_year_activity: "0".repeat(370) }],
      ["user-profile", { ...sampleUserProfile(7), user_id: 0 }],
      ["country-profile", sampleCountryProfile(-1)],
      ["country-profile", sampleCountryProfile(3, "")],
      ["global-stats", sampleGlobalStats()],
      ["global-stats", { ...sampleGlobalStats(), resolution_rate: null }],
      ["user-index", [sampleUserIndexEntry(1, "𝔘")]],
      ["user-index", [{ ...sampleUserIndexEntry(1), username: null }]],
      ["country-index", [sampleCountryIndexEntry(4)]],
      ["country-index", [{ ...sampleCountryIndexEntry(4), country_id: "4" }]],
      ["metadata", sampleMetadata(1, 1)],
      ["metadata", { ...sampleMetadata(1, 1), export_date: "yesterday" }],
    ];
    const outcomes = cases.map(([kind, doc]) => {
      const ahead = (generated as unknown as Record<string, (d: unknown) => boolean>)[validatorName(kind)]!(doc);
      return [ahead, compiled(kind)(doc), validateDocument(kind, doc).length === 0];
    });
    for (const [ahead, runTime, viaApi] of outcomes) {
      expect(ahead).toBe(runTime);
      expect(viaApi).toBe(runTime);
    }
    // The cases exercise both answers.
    expect(outcomes.filter(([ok]) => ok).length).toBeGreaterThan(4);
    expect(outcomes.filter(([ok]) => !ok).length).toBeGreaterThan(4);
  });
});
