import * as z from "zod";

// Per-year keys (history_2013_open, ranking_countries_opening_2024, …). The dwh stores them as
// jsonb families and the exporter flattens them to the legacy keys (datamarts-export §14), one
// set per year with data, so the set of keys grows every January without a schema change.
// JSON Schema expresses that exactly with patternProperties + additionalProperties: false;
// zod has no pattern keys, so at runtime we use a catchall plus a refinement that checks every
// extra key against the same patterns, and the JSON Schema generator (json-schemas.ts) turns
// the families registered here into patternProperties. Both reject an unknown key and a
// non-number history value.

export interface YearKeyFamily {
  /** Anchored pattern of the key, e.g. /^history_\d{4}_open$/. */
  readonly pattern: RegExp;
  readonly schema: z.ZodType;
}

const familiesBySchema = new WeakMap<object, readonly YearKeyFamily[]>();

/** The year-key families of a schema built by withYearKeys (for the JSON Schema generator). */
export function yearKeyFamiliesOf(schema: object): readonly YearKeyFamily[] | undefined {
  return familiesBySchema.get(schema);
}

export function withYearKeys<S extends z.ZodObject>(base: S, families: readonly YearKeyFamily[]) {
  const [first, ...rest] = families.map((f) => f.schema);
  if (first === undefined) throw new Error("withYearKeys needs at least one family");
  const fixed = new Set(Object.keys(base.shape));
  const schema = base
    .catchall(rest.length === 0 ? first : z.union([first, ...rest]))
    .superRefine((doc, ctx) => {
      const record = doc as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (fixed.has(key)) continue;
        const family = families.find((f) => f.pattern.test(key));
        if (family === undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: `unexpected key "${key}"` });
          continue;
        }
        const result = family.schema.safeParse(record[key]);
        if (!result.success) {
          for (const issue of result.error.issues) {
            ctx.addIssue({ code: "custom", path: [key, ...issue.path], message: issue.message });
          }
        }
      }
    });
  familiesBySchema.set(schema, families);
  return schema;
}

/** The year of a per-year key, as a 4-digit string group. */
export const YEAR = String.raw`\d{4}`;
