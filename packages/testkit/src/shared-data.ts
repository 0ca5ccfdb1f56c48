import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { TestkitError } from "./testkit-error.ts";

/** The shared/ folder that sits beside the repository (real OSM data, specs). */
const sharedRoot = fileURLToPath(new URL("../../../../shared/", import.meta.url));

/**
 * Path of a file under ../shared/data. Throws, never skips, when it is missing: a test that
 * needs real data must fail loudly without it.
 */
export function sharedDataPath(relative: string): string {
  const path = join(sharedRoot, "data", relative);
  if (!existsSync(path)) {
    throw new TestkitError("shared_data_missing", `Shared test data not found: ${path}`,
      "Tests read real OSM data from ../shared/data beside the repository; check it out there (it is never copied into the project).");
  }
  return path;
}
