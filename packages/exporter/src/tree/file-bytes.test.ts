import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitBlobId } from "../git-blob-id.ts";
import { byteLength, writeFileBytes } from "./_file-bytes.ts";

const dir = mkdtempSync(join(tmpdir(), "osmn-file-bytes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file bytes in pieces", () => {
  // More pieces than one writev(2) call takes (1 024), of uneven sizes, empty ones included.
  const pieces = Array.from({ length: 2_600 }, (_, i) => (i % 13 === 0 ? Buffer.alloc(0) : Buffer.from("x".repeat(i % 7) + String(i))));
  const whole = Buffer.concat(pieces);

  test("are written one after the other, replacing what the file held", async () => {
    const path = join(dir, "pieces.json");
    writeFileSync(path, "a longer previous content ".repeat(10_000));
    await writeFileBytes(path, pieces);
    expect(readFileSync(path).equals(whole)).toBe(true);
    await writeFileBytes(path, []);
    expect(readFileSync(path).byteLength).toBe(0);
  });

  test("have the blob id and length of their concatenation", () => {
    expect(gitBlobId(pieces)).toBe(gitBlobId(whole));
    expect(gitBlobId([])).toBe(gitBlobId(new Uint8Array(0)));
    expect(byteLength(pieces)).toBe(whole.byteLength);
    // git's id of an empty file, as `git hash-object /dev/null` prints it.
    expect(gitBlobId(new Uint8Array(0))).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });
});
