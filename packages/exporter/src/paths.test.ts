import { describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ExporterError } from "./exporter-error.ts";
import { countryProfilePath, documentPath, parseDocumentPath, userProfilePath, userShard } from "./paths.ts";

const PUBLISHED = "/work/shared/data/published";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("user paths", () => {
  test("test vectors of datamarts-export §7.2", () => {
    const vectors: Array<[number, string]> = [
      [1, "0/0/1"], [50, "0/3/2"], [123, "0/7/b"], [1649, "6/7/1"], [12345, "0/3/9"],
      [15071, "a/d/f"], [1004700, "4/9/c"], [2084878, "0/0/e"], [23670762, "f/e/a"],
      [0, "0/0/0"], [4096, "0/0/0"], [8192, "0/0/0"], [4095, "f/f/f"], [4097, "0/0/1"],
    ];
    for (const [id, shard] of vectors) expect(userShard(id)).toBe(shard);
    expect(userProfilePath(12345)).toBe("users/0/3/9/12345.json");
  });

  test("every user file of the real published tree sits where userProfilePath puts it", () => {
    const files = filesUnder(join(PUBLISHED, "users")).map((p) => relative(PUBLISHED, p));
    expect(files.length).toBe(20);
    for (const rel of files) {
      const id = Number(rel.split("/").at(-1)!.replace(".json", ""));
      expect(userProfilePath(id)).toBe(rel);
      expect(parseDocumentPath(rel)).toEqual({ kind: "user-profile", id });
    }
  });

  test("every country file of the real tree, -1 included, matches countryProfilePath", () => {
    const files = readdirSync(join(PUBLISHED, "countries"));
    expect(files).toContain("-1.json");
    for (const name of files) expect(countryProfilePath(Number(name.replace(".json", "")))).toBe(`countries/${name}`);
  });

  test("non-integer, negative, unsafe and non-number user ids are refused with a typed error", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60, "12" as unknown as number]) {
      expect(() => userProfilePath(bad)).toThrow(ExporterError);
    }
    expect(() => countryProfilePath(0.5)).toThrow(ExporterError);
  });

  test("parseDocumentPath refuses anything that is not an export path", () => {
    for (const bad of [
      "../etc/passwd", "users/0/0/1/../../x.json", "users/0/0/2/1.json", "users/0/0/1/01.json",
      "countries/abc.json", "indexes/other.json", "users/0/0/1/1.json/", "/metadata.json",
    ]) {
      expect(parseDocumentPath(bad)).toBeUndefined();
    }
  });

  test("documentPath ignores names: hostile usernames never shape a path", () => {
    const hostile = ["../../etc/passwd", '"quoted"', "<script>alert(1)</script>", "🦄🔥", "x".repeat(1000)];
    for (const username of hostile) {
      expect(documentPath("user-profile", { user_id: 4097, username })).toBe("users/0/0/1/4097.json");
    }
  });
});
