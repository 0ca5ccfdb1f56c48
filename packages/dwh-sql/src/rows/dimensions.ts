import * as z from "zod";
import { date, int, numeric, timestamp } from "./_pg-types.ts";

/** dwh.dimension_users: SCD2, several rows per OSM user after renames (is_current marks one). */
export const dimensionUserRow = z.object({
  dimension_user_id: int,
  /** OSM uid; -1 = Anonymous. */
  user_id: int,
  username: z.string().nullable(),
  modified: z.boolean(),
  valid_from: timestamp,
  valid_to: timestamp.nullable(),
  is_current: z.boolean(),
  experience_level_id: int.nullable(),
  total_notes_opened: int.nullable(),
  total_notes_closed: int.nullable(),
  days_active: int.nullable(),
  resolution_ratio: numeric.nullable(),
  last_activity_date: date.nullable(),
  experience_calculated_at: timestamp.nullable(),
});
export type DimensionUserRow = z.infer<typeof dimensionUserRow>;

/** dwh.dimension_countries; country_id -1 = 'Unknown - International waters'. */
export const dimensionCountryRow = z.object({
  dimension_country_id: int,
  /** OSM relation id. */
  country_id: int,
  country_name: z.string().nullable(),
  country_name_es: z.string().nullable(),
  country_name_en: z.string().nullable(),
  iso_alpha2: z.string().nullable(),
  iso_alpha3: z.string().nullable(),
  region_id: int.nullable(),
  modified: z.boolean(),
});
export type DimensionCountryRow = z.infer<typeof dimensionCountryRow>;
