import type * as z from "zod";
import { datamartCountryRow } from "./rows/datamart-countries.ts";
import { datamartGlobalRow } from "./rows/datamart-global.ts";
import { datamartUserRow } from "./rows/datamart-users.ts";
import { dimensionCountryRow, dimensionUserRow } from "./rows/dimensions.ts";
import { factRow } from "./rows/facts.ts";
import { noteCurrentStatusRow } from "./rows/note-current-status.ts";
import { validationCheckRow } from "./rows/validation-check.ts";

/** zod schemas of the rows consumers read, keyed like the tables (`rows.datamartusers.parse(row)`). */
export const rows = {
  datamartusers: datamartUserRow,
  datamartcountries: datamartCountryRow,
  datamartglobal: datamartGlobalRow,
  dimension_users: dimensionUserRow,
  dimension_countries: dimensionCountryRow,
  facts: factRow,
  note_current_status: noteCurrentStatusRow,
  validation_check: validationCheckRow,
} as const;

type Tables = Exclude<keyof typeof rows, "validation_check">;

function keysOf<S extends z.ZodObject>(schema: S): ReadonlyArray<keyof S["shape"] & string> {
  return Object.keys(schema.shape) as Array<keyof S["shape"] & string>;
}

/** Column names per table, in declaration order: for SELECT lists and whitelisted ORDER BY. */
export const columns = {
  datamartusers: keysOf(datamartUserRow),
  datamartcountries: keysOf(datamartCountryRow),
  datamartglobal: keysOf(datamartGlobalRow),
  dimension_users: keysOf(dimensionUserRow),
  dimension_countries: keysOf(dimensionCountryRow),
  facts: keysOf(factRow),
  note_current_status: keysOf(noteCurrentStatusRow),
} as const satisfies Record<Tables, ReadonlyArray<string>>;

/** Qualified table names consumers read. */
export const tables = {
  datamartusers: "dwh.datamartusers",
  datamartcountries: "dwh.datamartcountries",
  datamartglobal: "dwh.datamartglobal",
  dimension_users: "dwh.dimension_users",
  dimension_countries: "dwh.dimension_countries",
  facts: "dwh.facts",
  note_current_status: "dwh.note_current_status",
} as const satisfies Record<Tables, string>;
