import { describe, expect, test } from "bun:test";
import { ExporterError } from "../exporter-error.ts";
import { csvFileName } from "./csv-file-name.ts";

const SAFE = /^-?\d+_[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\.csv$/;

describe("csvFileName", () => {
  test("matches the original's names for Latin names", () => {
    expect(csvFileName(1124039, "Monaco")).toBe("1124039_monaco.csv");
    expect(csvFileName(1278736, "Gibraltar")).toBe("1278736_gibraltar.csv");
    expect(csvFileName(-1, "Unkown - International waters")).toBe("-1_unkown_-_international_waters.csv");
  });

  test("folds accents and never comes out empty or unsafe", () => {
    expect(csvFileName(1, "Côte d'Ivoire")).toBe("1_cote_d_ivoire.csv");
    expect(csvFileName(2, "Deutschland")).toBe("2_deutschland.csv");
    const hostile = ["日本", "", null, undefined, "../../etc/passwd", "...", "---", "   ", "a/b\\c:d*e?f", "🦄", "\u0000x", "CON", "x".repeat(500)];
    for (const name of hostile) {
      const file = csvFileName(12931402, name);
      expect(file).toMatch(SAFE);
      expect(file.length).toBeLessThanOrEqual(80);
    }
    expect(csvFileName(12931402, "日本")).toBe("12931402_country.csv");
    expect(csvFileName(3, "../../etc/passwd")).toBe("3_etc_passwd.csv");
  });

  test("the id must be a safe integer", () => {
    expect(() => csvFileName(1.5, "x")).toThrow(ExporterError);
    expect(() => csvFileName(Number.NaN, "x")).toThrow(ExporterError);
  });
});
