import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shipped sql/ directory, located from this module (never from the working directory). */
const SQL_DIR = fileURLToPath(new URL("../../sql/", import.meta.url));
const cache = new Map<string, string>();

/** Text of sql/<name>.sql (read once). SQL text never contains data: values go as parameters. */
export function sqlFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${SQL_DIR}${name}.sql`, "utf8");
    cache.set(name, text);
  }
  return text;
}
