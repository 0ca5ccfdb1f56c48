import { feature } from "./country-coder.ts";
import { COUNTRIES_REFERENCE } from "./countries-reference.ts";

/** id_country of a note at sea: base-tables spec §4, "known international waters". */
export const INTERNATIONAL_WATERS = -1;
/** id_country of a note that was searched and not found (Ingestion retries these). */
export const COUNTRY_NOT_FOUND = -2;

/** ISO 3166-1 alpha-2 → OSM relation id, for the reference areas that have a code. */
const relationByIso = new Map<string, number>();
for (const [relationId, , , , iso] of COUNTRIES_REFERENCE) {
  if (iso) relationByIso.set(iso, relationId);
}

/** The relation id of the reference area with this ISO code, if any. */
export function relationIdOfIso(iso: string): number | undefined {
  return relationByIso.get(iso);
}

/**
 * id_country for a point, offline, from the OSM-derived borders of @rapideditor/country-coder
 * (an in-memory point-in-polygon; no database, no PostGIS).
 *
 * Mapping rule:
 * 1. The smallest coded area at territory level or above (Isle of Man, Greenland, Gibraltar, …)
 *    when the reference knows its ISO code: those are admin_level 2 relations of their own in OSM.
 * 2. Otherwise the country it belongs to (Puerto Rico → US, Hong Kong → CN, French Guiana →
 *    FR): OSM draws these inside the sovereign's relation, and the reference has no row for them.
 * 3. Land that country-coder knows but the reference cannot name (Northern Cyprus, Bir Tawil, an
 *    ISO code the reference lacks) → −2, "searched, not found": it is not sea, so −1 would be a
 *    false statement, and −2 is what Ingestion re-examines with real boundaries.
 * 4. No feature at all → −1, international waters. country-coder's borders are simplified
 *    and drawn generously into coastal waters (a point at (−30, 40) is Portugal, for the
 *    Azores), so a point outside all of them is well out at sea (or at Null Island, which the
 *    spec also counts as −1). EEZ areas of the reference are never chosen: the package has no
 *    EEZ polygons, so such notes get −1 here where PostGIS would name the zone.
 */
export function countryIdAt(longitude: number, latitude: number): number {
  const loc: [number, number] = [longitude, latitude];
  const territory = feature(loc, { level: "territory", maxLevel: "country", withProp: "iso1A2" });
  if (!territory) {
    // No coded area: uncoded land (Northern Cyprus, Bir Tawil) or the sea.
    return feature(loc, { level: "subterritory", maxLevel: "country" }) ? COUNTRY_NOT_FOUND : INTERNATIONAL_WATERS;
  }
  const direct = relationByIso.get(territory.properties.iso1A2!);
  if (direct !== undefined) return direct;
  const country = territory.properties.level === "country"
    ? territory
    : feature(loc, { level: "country", maxLevel: "country", withProp: "iso1A2" });
  const parent = country ? relationByIso.get(country.properties.iso1A2!) : undefined;
  return parent ?? COUNTRY_NOT_FOUND;
}

/** Running counts of what countryIdAt returned, for the load report. */
export interface CountryAssignmentCounts {
  /** Notes given a positive OSM relation id. */
  country: number;
  internationalWaters: number;
  notFound: number;
}
