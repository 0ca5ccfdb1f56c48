import type { Sql } from "postgres";
import * as z from "zod";
import { rows } from "@osm-notes/dwh-sql";
import { DatamartsError, toDatamartsError } from "./datamarts-error.ts";

export const badgeSchema = z.object({
  badge_id: z.int(),
  badge_name: z.string(),
  description: z.string(),
  /** UTC day, YYYY-MM-DD. */
  date_awarded: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/** A user's profile: the datamartusers row, the contributor type names and the badges. */
export const userProfileSchema = rows.datamartusers.extend({
  contributor_type_name: z.string().nullable(),
  contributor_type_name_en: z.string().nullable(),
  badges: z.array(badgeSchema),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

/** A country's profile: the datamartcountries row. */
export const countryProfileSchema = rows.datamartcountries;
export type CountryProfile = z.infer<typeof countryProfileSchema>;

/** The global profile: the datamartglobal row. */
export const globalProfileSchema = rows.datamartglobal;
export type GlobalProfile = z.infer<typeof globalProfileSchema>;

const INTEGER = /^-?\d{1,10}$/;

/**
 * The profile of an OSM user by id (number or digits) or by current username (exact, then
 * case-insensitive; the lowest user id wins if several users had that name). A digits-only
 * argument that is no user id is tried as a username. null when unknown. Names are bound as
 * parameters, never spliced into SQL.
 */
export async function userProfile(sql: Sql<any>, idOrName: number | string): Promise<UserProfile | null> {
  const key = normalise(idOrName);
  try {
    let row: Record<string, unknown> | undefined;
    if (typeof key === "number" || INTEGER.test(key)) {
      [row] = await sql`SELECT d.*, ct.contributor_type_name, ct.contributor_type_name_en
                        FROM dwh.datamartusers d LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = d.id_contributor_type
                        WHERE d.user_id = ${Number(key)}`;
    }
    if (!row && typeof key === "string") {
      [row] = await sql`SELECT d.*, ct.contributor_type_name, ct.contributor_type_name_en
                        FROM dwh.datamartusers d LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = d.id_contributor_type
                        WHERE d.username = ${key} ORDER BY d.user_id LIMIT 1`;
    }
    if (!row && typeof key === "string") {
      [row] = await sql`SELECT d.*, ct.contributor_type_name, ct.contributor_type_name_en
                        FROM dwh.datamartusers d LEFT JOIN dwh.contributor_types ct ON ct.contributor_type_id = d.id_contributor_type
                        WHERE lower(d.username) = lower(${key}) ORDER BY d.user_id LIMIT 1`;
    }
    if (!row) return null;
    const badges = await sql`
      SELECT b.badge_id::integer, b.badge_name, b.description, to_char(bu.date_awarded, 'YYYY-MM-DD') AS date_awarded
      FROM dwh.badges_per_users bu JOIN dwh.badges b USING (badge_id)
      WHERE bu.user_id = ${row.user_id as number} ORDER BY bu.date_awarded, b.badge_id`;
    return userProfileSchema.parse({ ...row, badges: [...badges] });
  } catch (err) {
    throw toDatamartsError(err, "user profile");
  }
}

/**
 * The profile of a country by OSM id (number or digits) or by name (English, local, Spanish, or
 * ISO alpha-2/alpha-3 code; case-insensitive, lowest id wins). null when unknown.
 */
export async function countryProfile(sql: Sql<any>, idOrName: number | string): Promise<CountryProfile | null> {
  const key = normalise(idOrName);
  try {
    let row: Record<string, unknown> | undefined;
    if (typeof key === "number" || INTEGER.test(key)) {
      [row] = await sql`SELECT * FROM dwh.datamartcountries WHERE country_id = ${Number(key)}`;
    }
    if (!row && typeof key === "string") {
      [row] = await sql`SELECT * FROM dwh.datamartcountries
                        WHERE lower(${key}) IN (lower(country_name_en), lower(country_name), lower(country_name_es),
                                                lower(iso_alpha2), lower(iso_alpha3))
                        ORDER BY (country_name_en = ${key}) DESC, country_id LIMIT 1`;
    }
    return row ? countryProfileSchema.parse(row) : null;
  } catch (err) {
    throw toDatamartsError(err, "country profile");
  }
}

/** The global profile (the single datamartglobal row). */
export async function globalProfile(sql: Sql<any>): Promise<GlobalProfile> {
  try {
    const [row] = await sql`SELECT * FROM dwh.datamartglobal WHERE dimension_global_id = 1`;
    if (!row) throw new DatamartsError("not_migrated", "dwh.datamartglobal has no row", "run `migrate`, then `datamarts`");
    return globalProfileSchema.parse(row);
  } catch (err) {
    throw toDatamartsError(err, "global profile");
  }
}

function normalise(idOrName: number | string): number | string {
  if (typeof idOrName === "number") {
    if (!Number.isInteger(idOrName)) throw new DatamartsError("invalid_argument", `not an id: ${idOrName}`, "pass an integer id or a name");
    return idOrName;
  }
  const s = idOrName.trim();
  if (s.length === 0) throw new DatamartsError("invalid_argument", "empty name", "pass an id or a name");
  return s;
}
