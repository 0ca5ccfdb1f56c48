import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generate, type TestDatabase } from "@osm-notes/testkit";
import { freshDwh } from "../src/pipeline-test.fixture.ts";

const example = fileURLToPath(new URL("./run-pipeline.ts", import.meta.url));
const readme = fileURLToPath(new URL("../README.md", import.meta.url));

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDwh();
  await generate(db.sql, { notes: 300, seed: 7 });
}, 120_000);
afterAll(async () => {
  await db.drop();
  rmSync("/tmp/osm-notes-json", { recursive: true, force: true });
});

test("the README's example is this file, and it runs", () => {
  expect(readFileSync(readme, "utf8")).toContain(readFileSync(example, "utf8"));
  const run = spawnSync(process.execPath, [example], { env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8" });
  expect(run.stderr).toContain("Pipeline completed successfully");
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^Pipeline completed successfully in [\d.]+ seconds \(run 1\)/);
  expect(run.stdout).toContain("first");
});
