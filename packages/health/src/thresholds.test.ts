import { describe, expect, test } from "bun:test";
import { levelStatus, resolveThresholds, thresholdsSchema } from "./thresholds.ts";

describe("thresholds", () => {
  test("defaults follow Monitoring's rules", () => {
    const t = resolveThresholds();
    expect(t.dwhFreshnessSeconds).toEqual({ warning: 7200, critical: 14400 });
    expect(t.datamartFreshnessSeconds).toEqual({ warning: 86400, critical: 172800 });
    expect(t.diskUsagePercent).toEqual({ warning: 85, critical: 90 });
    expect(t.orphanedFacts).toEqual({ warning: 0, critical: 10 });
    expect(t.etlSuccessAgeSeconds).toEqual({ warning: 1800, critical: 7200 });
  });

  test("one side can be overridden, the other keeps its default", () => {
    const t = resolveThresholds({ etlSuccessAgeSeconds: { warning: 3600 } });
    expect(t.etlSuccessAgeSeconds).toEqual({ warning: 3600, critical: 7200 });
  });

  test("unknown names, negative numbers and critical below warning are refused", () => {
    expect(thresholdsSchema.safeParse({ etlAge: { warning: 1 } }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ exportAgeSeconds: { warning: -1 } }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ exportAgeSeconds: { warning: 10, critical: 5 } }).success).toBe(false);
  });

  test("strictly above a threshold crosses it", () => {
    const lv = { warning: 10, critical: 20 };
    expect(levelStatus(10, lv)).toBe("ok");
    expect(levelStatus(10.5, lv)).toBe("warning");
    expect(levelStatus(20, lv)).toBe("warning");
    expect(levelStatus(21, lv)).toBe("critical");
  });
});
