import type { DocumentKind } from "../documents/document-kinds.ts";
import { gitBlobId } from "../git-blob-id.ts";
import { documentPath, parseDocumentPath } from "../paths.ts";
import type { ValidateDocument, ValidationIssue } from "../validator.ts";
import type { FileBytes } from "./_file-bytes.ts";

// The per-document work of writeTree that needs nothing but the document: the path check,
// validation, serialization and the git blob id. writeTree runs it inline; the database
// reader runs it in worker threads for user profiles (see ../database/_profile-pool.ts) and
// hands the writer the result, which then does only what needs the whole tree (duplicates,
// index consistency, file operations).

/**
 * The outcome of prepareDocument: problems, or the file's bytes and blob id. Documents are one
 * buffer; the patched user index may be pieces (B = FileBytes).
 */
export type Prepared<B extends FileBytes = Uint8Array> =
  | { ok: false; issues: ValidationIssue[] }
  | { ok: true; bytes: B; sha1: string; validated: boolean };

export function pathIssue(message: string): ValidationIssue {
  return { instancePath: "", keyword: "path", schemaPath: "paths.ts", message, params: {} };
}

/** The path rules that hold for one document alone (duplicates are the writer's). */
export function checkDocumentPath(path: string, kind: DocumentKind, document: unknown): ValidationIssue | undefined {
  const parsed = parseDocumentPath(path);
  if (parsed === undefined) return pathIssue("not an export path");
  if (parsed.kind !== kind) return pathIssue(`path is for ${parsed.kind}, document is ${kind}`);
  let expected: string;
  try {
    expected = documentPath(kind, document);
  } catch (err) {
    return pathIssue((err as Error).message);
  }
  if (expected !== path) return pathIssue(`the id inside the document belongs at ${expected}`);
  return undefined;
}

/** Path check, validation (when validate is given), then the file's bytes and blob id. */
export function prepareDocument(
  path: string,
  kind: DocumentKind,
  document: unknown,
  validate: ValidateDocument | undefined,
): Prepared {
  const problem = checkDocumentPath(path, kind, document);
  if (problem !== undefined) return { ok: false, issues: [problem] };
  const issues = validate?.(kind, document) ?? [];
  if (issues.length > 0) return { ok: false, issues };
  const bytes = Buffer.from(`${JSON.stringify(document)}\n`);
  return { ok: true, bytes, sha1: gitBlobId(bytes), validated: validate !== undefined };
}
