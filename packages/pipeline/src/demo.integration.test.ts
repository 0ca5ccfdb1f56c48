import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./pipeline-test.fixture.ts";

// The CLI's `demo` (apps/cli/src/commands/demo.ts) wires this package; it is tested here, where
// the pipeline it runs lives. It starts its own embedded PostgreSQL in the data directory.
const dataDir = mkdtempSync(join(tmpdir(), "osmn-demo-"));
// mkdtemp makes it 0700; as root the server runs as `postgres`, which must be able to enter it.
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("demo", () => {
  test("first run: embedded PostgreSQL, generated data, whole pipeline, a JSON tree it names", () => {
    const env = { DATABASE_URL: "", OSMN_DATA_DIR: "" };
    const first = runCli(["demo", "--data-dir", dataDir, "--notes", "800"], env);
    expect(first.stderr).toContain("Pipeline completed successfully");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("first run");
    const named = /JSON tree:\s+(\S+)/.exec(first.stdout)?.[1];
    expect(named).toBe(join(dataDir, "json"));
    const metadata = JSON.parse(readFileSync(join(named!, "metadata.json"), "utf8")) as Record<string, unknown>;
    expect(metadata).toHaveProperty("export_date");
    expect(existsSync(join(named!, "indexes", "users.json"))).toBe(true);
    expect(existsSync(join(named!, "indexes", "countries.json"))).toBe(true);
    expect(first.stdout).toContain(`bun run demo --data-dir ${dataDir}`);

    // Same data directory again: new activity, loaded incrementally.
    const second = runCli(["demo", "--data-dir", dataDir], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("incremental run");
    expect(second.stdout).toMatch(/ETL:\s+incremental, [1-9][\d,]* facts inserted/);
    expect(second.stdout).toMatch(/JSON export: incremental/);
  });
});
