// Shared by the pipeline's integration tests: a migrated database per test file, generated
// base data, the CLI as a child process, and a snapshot of every datamart row.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { migrate } from "@osm-notes/dwh-sql";
import { applyBaseTables, freshDatabase, type Sql, type TemplateSpec, type TestDatabase } from "@osm-notes/testkit";

export const dwhTemplate: TemplateSpec = {
  name: "dwh_pipeline",
  prepare: async (sql) => {
    await applyBaseTables(sql);
    await migrate(sql);
  },
};

/** Nothing at all: what an operator gets from `createdb`. */
export const emptyTemplate: TemplateSpec = { name: "empty", prepare: async () => {} };

export const freshDwh = (): Promise<TestDatabase> => freshDatabase(dwhTemplate);

export const cliMain = fileURLToPath(new URL("../../../apps/cli/src/main.ts", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`bun apps/cli/src/main.ts …`) with DATABASE_URL and extra environment. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): CliResult {
  const result = spawnSync(process.execPath, [cliMain, ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every datamart row and badge as JSON, in key order (export bookkeeping columns included). */
export async function datamartRows(sql: Sql): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await sql.unsafe<{ j: unknown }[]>(text)).map((r) => r.j);
  return {
    users: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamartusers t ORDER BY user_id`),
    countries: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamartcountries t ORDER BY country_id`),
    global: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamartglobal t`),
    badges: await q(`SELECT to_jsonb(t) AS j FROM dwh.badges_per_users t ORDER BY user_id, badge_id`),
  };
}
