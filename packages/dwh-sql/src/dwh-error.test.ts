import { describe, expect, test } from "bun:test";
import { DwhError, classifyPgError, isCompatibleVersion } from "./index.ts";

describe("classifyPgError", () => {
  const cases: [code: string, expected: string, retryable: boolean][] = [
    ["08006", "connection", true],
    ["CONNECTION_CLOSED", "connection", true],
    ["ECONNREFUSED", "connection", true],
    ["57P01", "connection", true],
    ["23505", "unique_violation", false],
    ["55P03", "lock_not_available", true],
    ["40P01", "serialization_failure", true],
    ["42P01", "undefined_table", false],
    ["42501", "insufficient_privilege", false],
    ["57014", "query_canceled", false],
    ["22012", "query_failed", false],
  ];
  for (const [code, expected, retryable] of cases) {
    test(`${code} → ${expected}`, () => {
      const cause = Object.assign(new Error("server said no"), { code, parameters: ["secret"] });
      const e = classifyPgError(cause, "loading users");
      expect(e).toBeInstanceOf(DwhError);
      expect([e.code, e.retryable]).toEqual([expected as DwhError["code"], retryable]);
      expect(e.message).toBe("loading users: server said no");
      expect(e.hint.length).toBeGreaterThan(10);
      expect(e.cause).toBe(cause);
      // Parameters stay on the cause, never on the error's own enumerable fields.
      expect(JSON.stringify(e)).not.toContain("secret");
    });
  }

  test("undefined_table says to run migrations", () => {
    expect(classifyPgError({ code: "42P01", message: 'relation "dwh.facts" does not exist' }).hint).toContain("migrate");
  });

  test("a DwhError passes through unchanged", () => {
    const e = new DwhError("migration_changed", "m", "h");
    expect(classifyPgError(e)).toBe(e);
  });
});

describe("isCompatibleVersion", () => {
  test("same major, not older", () => {
    expect(isCompatibleVersion("1.0.0", "1.0.0")).toBe(true);
    expect(isCompatibleVersion("1.2.0", "1.0.3")).toBe(true);
    expect(isCompatibleVersion("1.0.2", "1.0.3")).toBe(false);
    expect(isCompatibleVersion("2.0.0", "1.0.0")).toBe(false);
    expect(isCompatibleVersion("1.0", "1.0.0")).toBe(false);
  });
});
