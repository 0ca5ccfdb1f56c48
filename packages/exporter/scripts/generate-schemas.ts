// Writes packages/exporter/schemas/<kind>.schema.json from the zod document schemas, and the
// validators generated from them (src/_document-validators.generated.ts).
// Run with `bun run schemas` in the package; commit the result (a test fails on drift).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { documentKinds } from "../src/documents/document-kinds.ts";
import { jsonSchemaText, schemaFileName } from "../src/json-schemas.ts";
import { GENERATED_VALIDATORS_FILE, generatedValidatorsText } from "../src/validator-code.ts";

const dir = join(import.meta.dir, "..", "schemas");
await mkdir(dir, { recursive: true });
for (const kind of documentKinds) {
  await writeFile(join(dir, schemaFileName(kind)), jsonSchemaText(kind));
  console.error(`wrote schemas/${schemaFileName(kind)}`);
}
await writeFile(join(import.meta.dir, "..", "src", GENERATED_VALIDATORS_FILE), generatedValidatorsText());
console.error(`wrote src/${GENERATED_VALIDATORS_FILE}`);
