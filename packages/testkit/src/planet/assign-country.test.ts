import { describe, expect, test } from "bun:test";
import { COUNTRY_NOT_FOUND, INTERNATIONAL_WATERS, countryIdAt, relationIdOfIso } from "./assign-country.ts";
import { COUNTRIES_REFERENCE } from "./countries-reference.ts";

describe("countryIdAt: lon/lat → OSM relation id", () => {
  const cases: [string, number, number, number][] = [
    ["Germany (Kassel)", 9.5, 51.3, 51477],
    ["France (Paris)", 2.35, 48.85, 2202162],
    ["French Guiana → France (inside France's relation in OSM)", -53, 4.5, 2202162],
    ["Puerto Rico → United States", -66.1, 18.4, 148838],
    ["Isle of Man (its own admin_level 2 relation)", -4.5, 54.2, 62269],
    ["Greenland (its own relation, not Denmark)", -50, 70, 2184073],
    ["Colombia (Bogotá)", -74.08, 4.6, 120027],
    ["middle of the Atlantic", -40, 30, INTERNATIONAL_WATERS],
    ["Null Island", 0, 0, INTERNATIONAL_WATERS],
    ["Northern Cyprus: land without an ISO code", 33.6, 35.3, COUNTRY_NOT_FOUND],
  ];
  for (const [where, lon, lat, expected] of cases) {
    test(where, () => expect(countryIdAt(lon, lat)).toBe(expected));
  }
});

test("the reference maps each ISO code to one relation", () => {
  const codes = COUNTRIES_REFERENCE.map((r) => r[4]).filter((c): c is string => c !== null);
  expect(new Set(codes).size).toBe(codes.length);
  expect(COUNTRIES_REFERENCE.length).toBe(281);
  expect(relationIdOfIso("DE")).toBe(51477);
  expect(relationIdOfIso("FR")).toBe(2202162);
  expect(relationIdOfIso("ZZ")).toBeUndefined();
  // Every row has a name, and ids are OSM relations (positive).
  expect(COUNTRIES_REFERENCE.every(([id, name]) => id > 0 && name.length > 0)).toBe(true);
});
