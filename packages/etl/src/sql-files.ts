import { fileURLToPath } from "node:url";

/** The ETL's SQL ships inside the package, found relative to this module (never the cwd). */
const sqlDir = fileURLToPath(new URL("../sql/", import.meta.url));

export const sqlFile = (name: string): string => `${sqlDir}${name}.sql`;
