import { expect, test } from "bun:test";
import { formatTable } from "./measure.ts";

test("results print as a Markdown table", () => {
  const table = formatTable([{ scale: 10000, step: "generate", rows: 12345, seconds: 1.5, rowsPerSecond: 8230, peakRssMb: 90, databaseMb: 12 }]);
  expect(table.split("\n")).toEqual([
    "| scale  | step     |   rows | seconds | rows/s | peak RSS MB | db MB |",
    "|:-------|:---------|-------:|--------:|-------:|------------:|------:|",
    "| 10,000 | generate | 12,345 |    1.50 |  8,230 |          90 |    12 |",
  ]);
});
