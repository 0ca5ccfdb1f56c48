import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shipped sql/ directory, located from this module (never from the working directory). */
export const DATAMARTS_SQL_DIR = fileURLToPath(new URL("../sql/", import.meta.url));

const cache = new Map<string, string>();

/**
 * Text of sql/<name>.sql with {{placeholders}} replaced. Placeholders only ever receive fixed
 * identifiers chosen by this package (JSON key names), never user input.
 */
export function sqlFile(name: string, replacements: Readonly<Record<string, string>> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${DATAMARTS_SQL_DIR}${name}.sql`, "utf8");
    cache.set(name, text);
  }
  const out = text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = replacements[key];
    if (value === undefined || !/^[a-z_]+$/.test(value)) throw new Error(`sql/${name}.sql: no value for {{${key}}}`);
    return value;
  });
  return out;
}
