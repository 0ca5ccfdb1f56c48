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

// Every schema compiled once and kept: Ajv caches compiled schemas by object identity, so
// compiling per call would grow memory without bound (conventions §2.2). Two instances: a
// first-error one answers "valid?" (measured 17 µs per user profile against 24 µs with
// allErrors), and only for an invalid document the allErrors one lists every violation.
interface Compiled {
  fast: ValidateFunction;
  complete: ValidateFunction;
}
let compiled: Map<DocumentKind, Compiled> | undefined;

function validators(): Map<DocumentKind, Compiled> {
  if (compiled !== undefined) return compiled;
  // strict: the generated schemas must not use keywords Ajv would silently ignore.
  const fast = new Ajv2020({ allErrors: false, strict: true });
  const complete = new Ajv2020({ allErrors: true, strict: true });
  compiled = new Map(
    documentKinds.map((kind) => {
      const schema = jsonSchemaOf(kind);
      return [kind, { fast: fast.compile(schema), complete: complete.compile(schema) }];
    }),
  );
  return compiled;
}

/** Validates one document against the generated JSON Schema of its kind; [] when valid. */
export const validateDocument: ValidateDocument = (kind, document) => {
  const pair = validators().get(kind);
  if (pair === undefined) throw new Error(`no schema for kind ${kind}`);
  if (pair.fast(document)) return [];
  const validate = pair.complete;
  validate(document);
  return (validate.errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    keyword: e.keyword,
    schemaPath: e.schemaPath,
    message: e.message ?? e.keyword,
    params: e.params as Record<string, unknown>,
  }));
};
