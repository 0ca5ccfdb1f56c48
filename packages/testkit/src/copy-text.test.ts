import { expect, test } from "bun:test";
import { copyField, copyLine } from "./copy-text.ts";

test("COPY text fields escape backslash, tab and line breaks; null is \\N", () => {
  expect(copyField(null)).toBe("\\N");
  expect(copyField(undefined)).toBe("\\N");
  expect(copyField(42)).toBe("42");
  expect(copyField("plain")).toBe("plain");
  expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
  expect(copyField("\\N")).toBe("\\\\N"); // the literal text \N is not NULL
  expect(copyLine([1, null, "x\ty"])).toBe("1\t\\N\tx\\ty\n");
});
