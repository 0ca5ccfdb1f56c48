import { ExporterError } from "./exporter-error.ts";
import type { DocumentKind } from "./documents/document-kinds.ts";

// Every path of the export tree is built from numeric ids only: a username or country name
// never reaches the file system (they live inside the JSON). writeTree re-checks each path
// against these rules, so a caller cannot smuggle one in either.

function requireId(value: unknown, what: string, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ExporterError(
      "invalid_id",
      `${what} must be a safe integer >= ${min}, got ${JSON.stringify(value)}`,
      "paths are built from numeric ids only; check the datamart row",
    );
  }
  return value;
}

/** "h1/h2/h3": user_id mod 4096 as three lowercase hex digits (12345 → "0/3/9"). */
export function userShard(userId: number): string {
  const hex = (requireId(userId, "user_id", 0) % 4096).toString(16).padStart(3, "0");
  return `${hex[0]}/${hex[1]}/${hex[2]}`;
}

/** users/h1/h2/h3/<user_id>.json */
export function userProfilePath(userId: number): string {
  return `users/${userShard(userId)}/${userId}.json`;
}

/** countries/<country_id>.json; negative ids (-1 international waters) are allowed. */
export function countryProfilePath(countryId: number): string {
  return `countries/${requireId(countryId, "country_id", Number.MIN_SAFE_INTEGER)}.json`;
}

export const FIXED_PATHS = {
  metadata: "metadata.json",
  "user-index": "indexes/users.json",
  "country-index": "indexes/countries.json",
  "global-stats": "global_stats.json",
} as const;

/** The only path a document of this kind may have (profiles: from the id inside it). */
export function documentPath(kind: DocumentKind, document: unknown): string {
  if (kind === "user-profile") return userProfilePath((document as { user_id?: unknown }).user_id as number);
  if (kind === "country-profile") {
    return countryProfilePath((document as { country_id?: unknown }).country_id as number);
  }
  return FIXED_PATHS[kind];
}

const USER_PATH = /^users\/[0-9a-f]\/[0-9a-f]\/[0-9a-f]\/(0|[1-9][0-9]*)\.json$/;
const COUNTRY_PATH = /^countries\/(0|-?[1-9][0-9]*)\.json$/;

/** The kind and id a tree path stands for, or undefined when it is not an export path. */
export function parseDocumentPath(path: string): { kind: DocumentKind; id?: number } | undefined {
  for (const [kind, fixed] of Object.entries(FIXED_PATHS)) {
    if (path === fixed) return { kind: kind as DocumentKind };
  }
  const user = USER_PATH.exec(path);
  if (user !== null) {
    const id = Number(user[1]);
    return Number.isSafeInteger(id) && userProfilePath(id) === path ? { kind: "user-profile", id } : undefined;
  }
  const country = COUNTRY_PATH.exec(path);
  if (country !== null) {
    const id = Number(country[1]);
    return Number.isSafeInteger(id) ? { kind: "country-profile", id } : undefined;
  }
  return undefined;
}
