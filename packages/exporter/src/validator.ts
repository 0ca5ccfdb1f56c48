import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { documentKinds, type DocumentKind } from "./documents/document-kinds.ts";
import { jsonSchemaOf } from "./json-schemas.ts";

/** One schema violation, precise enough to fix the producer. */
export interface ValidationIssue {
  /** JSON pointer into the document, e.g. "/history_2024_open" ("" = the root). */
  instancePath: string;
  /** Ajv keyword that failed (type, required, additionalProperties, pattern, …). */
  keyword: string;
  /** Pointer into the schema, e.g. "#/patternProperties/…/type". */
  schemaPath: string;
  message: string;
  params: Record<string, unknown>;
}

export type ValidateDocument = (kind: DocumentKind, document: unknown) => ValidationIssue[];

// One Ajv2020 instance, every schema compiled once and kept: Ajv caches compiled schemas by
// object identity, so compiling per call would grow memory without bound (conventions §2.2).
let compiled: Map<DocumentKind, ValidateFunction> | undefined;

function validators(): Map<DocumentKind, ValidateFunction> {
  if (compiled !== undefined) return compiled;
  // strict: the generated schemas must not use keywords Ajv would silently ignore.
  // allErrors: report every violation of a document, not just the first.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  compiled = new Map(documentKinds.map((kind) => [kind, ajv.compile(jsonSchemaOf(kind))]));
  return compiled;
}

/** Validates one document against the generated JSON Schema of its kind; [] when valid. */
export const validateDocument: ValidateDocument = (kind, document) => {
  const validate = validators().get(kind);
  if (validate === undefined) throw new Error(`no schema for kind ${kind}`);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    keyword: e.keyword,
    schemaPath: e.schemaPath,
    message: e.message ?? e.keyword,
    params: e.params as Record<string, unknown>,
  }));
};
