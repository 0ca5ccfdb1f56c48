import { createHash } from "node:crypto";
import * as z from "zod";
import { documentKinds, documentSchemas, type DocumentKind } from "./documents/document-kinds.ts";
import { yearKeyFamiliesOf } from "./documents/_year-keys.ts";

const OPTIONS = { target: "draft-2020-12", io: "output" } as const;
const ID_BASE = "https://osm-notes.github.io/OSM-Notes-Data/schemas/";

/** File name of a kind's generated schema under packages/exporter/schemas/. */
export function schemaFileName(kind: DocumentKind): string {
  return `${kind}.schema.json`;
}

function toJson(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    ...OPTIONS,
    // Per-year key families become patternProperties (see documents/_year-keys.ts).
    override(ctx) {
      const families = yearKeyFamiliesOf(ctx.zodSchema);
      if (families === undefined) return;
      ctx.jsonSchema.patternProperties = Object.fromEntries(
        families.map((f) => {
          const { $schema: _drop, ...value } = toJson(f.schema);
          return [f.pattern.source, value];
        }),
      );
      ctx.jsonSchema.additionalProperties = false;
    },
  }) as Record<string, unknown>;
  return json;
}

// Keywords that constrain more than one JSON type, or combine schemas: a nullable built on one
// of these cannot be folded into `type: [T, "null"]`.
const NOT_FOLDABLE = ["enum", "const", "anyOf", "allOf", "oneOf", "not", "$ref", "if", "type"];

/**
 * zod writes `.nullable()` as anyOf [{type: T, …}, {type: "null"}]. Every other keyword it emits
 * (minimum, pattern, items, properties, …) applies to one JSON type only and ignores null, so
 * `{type: [T, "null"], …}` means exactly the same. Ajv validates the folded form several times
 * faster (no failed branch, no error objects for every null), and it reads better.
 */
function foldNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(foldNullable);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = foldNullable(v);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2 && Object.keys(out).length === 1) {
    const [a, b] = anyOf as Array<Record<string, unknown>>;
    const isNull = (x: Record<string, unknown> | undefined) => x !== undefined && x.type === "null" && Object.keys(x).length === 1;
    const some = isNull(b) ? a : isNull(a) ? b : undefined;
    if (some !== undefined && typeof some.type === "string" && !NOT_FOLDABLE.some((k) => k !== "type" && k in some)) {
      return { ...some, type: [some.type, "null"] };
    }
  }
  return out;
}

/** The JSON Schema (draft 2020-12) generated from the zod schema of a document kind. */
export function jsonSchemaOf(kind: DocumentKind): Record<string, unknown> {
  const { $schema, ...rest } = foldNullable(toJson(documentSchemas[kind])) as Record<string, unknown>;
  return { $schema, $id: ID_BASE + schemaFileName(kind), title: kind, ...rest };
}

/** All generated JSON Schemas, keyed by kind. */
export function allJsonSchemas(): Record<DocumentKind, Record<string, unknown>> {
  return Object.fromEntries(documentKinds.map((k) => [k, jsonSchemaOf(k)])) as Record<
    DocumentKind,
    Record<string, unknown>
  >;
}

/** The exact text written to schemas/<kind>.schema.json (stable, for the drift test). */
export function jsonSchemaText(kind: DocumentKind): string {
  return `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`;
}

/** sha256 hex over all schema texts: metadata.data_schema_hash (consumers compare for equality). */
export function dataSchemaHash(): string {
  if (schemaHash === undefined) {
    const hasher = createHash("sha256");
    for (const kind of documentKinds) hasher.update(jsonSchemaText(kind));
    schemaHash = hasher.digest("hex");
  }
  return schemaHash;
}
// The schemas are fixed for the life of the process (generated from the zod modules).
let schemaHash: string | undefined;
