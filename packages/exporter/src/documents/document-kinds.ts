import type * as z from "zod";
import { countryProfile, type CountryProfile } from "./country-profile.ts";
import { globalStats, type GlobalStats } from "./global-stats.ts";
import { countryIndex, userIndex, type CountryIndex, type UserIndex } from "./indexes.ts";
import { metadata, type Metadata } from "./metadata.ts";
import { userProfile, type UserProfile } from "./user-profile.ts";

/** Every exported JSON document kind, each with one zod schema (the single source of shapes). */
export const documentSchemas = {
  metadata,
  "user-index": userIndex,
  "country-index": countryIndex,
  "user-profile": userProfile,
  "country-profile": countryProfile,
  "global-stats": globalStats,
} as const satisfies Record<string, z.ZodType>;

export type DocumentKind = keyof typeof documentSchemas;
export const documentKinds = Object.keys(documentSchemas) as DocumentKind[];

export interface DocumentOfKind {
  metadata: Metadata;
  "user-index": UserIndex;
  "country-index": CountryIndex;
  "user-profile": UserProfile;
  "country-profile": CountryProfile;
  "global-stats": GlobalStats;
}
