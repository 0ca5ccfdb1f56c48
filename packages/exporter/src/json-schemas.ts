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

/** The JSON Schema (draft 2020-12) generated from the zod schema of a document kind. */
export function jsonSchemaOf(kind: DocumentKind): Record<string, unknown> {
  const { $schema, ...rest } = toJson(documentSchemas[kind]);
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
  const hasher = new Bun.CryptoHasher("sha256");
  for (const kind of documentKinds) hasher.update(jsonSchemaText(kind));
  return hasher.digest("hex");
}
