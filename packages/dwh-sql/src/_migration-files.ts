import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DwhError } from "./dwh-error.ts";

/** The migrations shipped in this package, located from the module (never from the cwd). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../sql/", import.meta.url));

export interface MigrationFile {
  /** The NNNN number. */
  id: number;
  /** File name, e.g. `0001_schemas_and_types.sql`. */
  name: string;
  text: string;
  sha256: string;
  /** First line is `--! no-transaction`: runs outside a transaction (e.g. CREATE INDEX CONCURRENTLY). */
  noTransaction: boolean;
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;
const NO_TRANSACTION = /^--!\s*no-transaction\s*$/;

export function migrationsDirPath(dir: string | URL | undefined): string {
  if (dir === undefined) return DEFAULT_MIGRATIONS_DIR;
  return dir instanceof URL ? fileURLToPath(dir) : dir;
}

/** Reads and checks the numbered files: contiguous numbers from 0001, no gaps or duplicates. */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  } catch (err) {
    throw new DwhError("migrations_invalid", `cannot read migrations directory ${dir}`, "reinstall the package", err);
  }
  const files: MigrationFile[] = [];
  for (const name of names) {
    const m = FILE_NAME.exec(name);
    if (!m) {
      throw new DwhError("migrations_invalid", `migration file name ${name} is not NNNN_name.sql`, "rename the file");
    }
    const id = Number(m[1]);
    if (id !== files.length + 1) {
      throw new DwhError(
        "migrations_invalid",
        `migration ${name} is out of sequence: expected number ${String(files.length + 1).padStart(4, "0")}`,
        "migration numbers must be contiguous from 0001, one file per number",
      );
    }
    const text = await readFile(join(dir, name), "utf8");
    files.push({
      id,
      name,
      text,
      sha256: createHash("sha256").update(text).digest("hex"),
      noTransaction: NO_TRANSACTION.test(text.split("\n", 1)[0] ?? ""),
    });
  }
  return files;
}
