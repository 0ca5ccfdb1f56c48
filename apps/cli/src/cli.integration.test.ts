import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freshDatabase, sharedDataPath, type TestDatabase } from "@osm-notes/testkit";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
let db: TestDatabase;
let dir: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: db.url, NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), "osmn-cli-test-"));
}, 60_000);
afterAll(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("osm-notes-analytics", () => {
  test("--help lists the commands that exist", () => {
    const { code, stdout, stderr } = cli(["--help"]);
    expect(code).toBe(0);
    const help = stdout + stderr;
    expect(help).toContain("generate");
    expect(help).toContain("load-planet");
  });

  test("generate prints its report as JSON on stdout and logs on stderr", () => {
    const { code, stdout, stderr } = cli(["generate", "--notes", "300", "--seed", "5"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.notes).toBe(300);
    expect(stderr).toContain("generated 300 notes");
  });

  test("generate into tables that hold data fails with a hint, exit 1", () => {
    const { code, stderr } = cli(["generate", "--notes", "10"]);
    expect(code).toBe(1);
    expect(stderr).toContain("--replace");
  });

  test("bad arguments and bad environment are clear errors", () => {
    expect(cli(["generate", "--notes", "many"]).code).toBe(1);
    const env = cli(["generate", "--notes", "5"], { DATABASE_URL: "mysql://nope" });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain("DATABASE_URL");
  });

  test("load-planet loads a dump with countries, and a malformed one fails naming the line", () => {
    const ok = cli([
      "load-planet", sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml"),
      "--countries", sharedDataPath("derived/countries-from-published-index.csv"),
      "--note-countries", sharedDataPath("derived/fixture-994-note-countries.csv"),
    ], { OSMN_LOG_FORMAT: "json" });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ notesRead: 994, commentsRead: 2211 });
    // JSON logs: one object per line on stderr
    const lines = ok.stderr.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ level: "success" });

    const bad = join(dir, "bad.osn");
    writeFileSync(bad, `<osm-notes>\n<note id="1" lat="1" lon="1" created_at="2020-01-01T00:00:00Z">\n<comment action="vanished" timestamp="2020-01-01T00:00:00Z"></comment>\n</note>\n</osm-notes>\n`);
    const failed = cli(["load-planet", bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("line 3");
  });
});
