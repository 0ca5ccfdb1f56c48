import { expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { ExporterError } from "../exporter-error.ts";
import { toExporterError } from "./_database-error.ts";

test("database failures and file-system failures get their own codes", async () => {
  const fsError = await readFile("/nonexistent/osmn/x").catch((e: unknown) => e);
  expect(toExporterError(fsError, "writing").code).toBe("write_failed");
  const missing = Object.assign(new Error('relation "dwh.json_export_state" does not exist'), { name: "PostgresError", code: "42P01" });
  expect(toExporterError(missing, "reading").code).toBe("not_migrated");
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", syscall: "connect" });
  const e = toExporterError(refused, "connecting");
  expect(e.code).toBe("database_failed");
  expect(e.hint).toContain("PostgreSQL");
  const own = new ExporterError("stale_datamarts", "x", "y");
  expect(toExporterError(own, "z")).toBe(own);
});
