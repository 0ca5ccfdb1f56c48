// Keeps the README example honest: it must run and end with a no-op second publish.
import { expect, test } from "bun:test";
import { join } from "node:path";

test("the README example runs", async () => {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "export-and-publish.ts")], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/first publish: commit [0-9a-f]{40}, added data\/global_stats.json, data\/indexes\/countries.json/);
  expect(stdout).toContain("second publish: commit none (4 unchanged)");
}, 30_000);
