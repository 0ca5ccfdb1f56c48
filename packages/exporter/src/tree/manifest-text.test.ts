import { describe, expect, test } from "bun:test";
import type { ManifestEntry } from "./manifest.ts";
import { ManifestText, profileIdOf } from "./manifest-text.ts";

/** What writeTree wrote before manifests were handled as text: the reference form. */
function reference(files: Record<string, ManifestEntry>): string {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: 1, files: sorted })}\n`;
}

const sha = (n: number) => n.toString(16).padStart(40, "0");
const ODD_PATHS = ['we"ird.json', "back\\slash.json", "émoji-😀.json", "tab\there.json", "z/last.json"];

/** A small deterministic generator (tests must not depend on Math.random). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function treeFiles(n: number): Record<string, ManifestEntry> {
  const files: Record<string, ManifestEntry> = {
    "metadata.json": { sha1: sha(1), size: 10 },
    "indexes/users.json": { sha1: sha(2), size: 20 },
  };
  for (let id = 1; id <= n; id++) files[`users/${(id % 16).toString(16)}/${id}.json`] = { sha1: sha(id + 100), size: id };
  for (const c of [-1, 5, 12]) files[`countries/${c}.json`] = { sha1: sha(c + 1000), size: 3 };
  return files;
}

describe("ManifestText", () => {
  test("writes exactly what JSON.stringify of the sorted files gives, odd paths included", () => {
    const files = treeFiles(50);
    for (const [i, p] of ODD_PATHS.entries()) files[p] = { sha1: sha(9000 + i), size: i };
    const text = ManifestText.fromFiles(files);
    expect(text.toBytes().toString("utf8")).toBe(reference(files));
    expect(text.toManifest().files).toEqual(files);
    expect(ManifestText.fromFiles({}).toBytes().toString("utf8")).toBe(reference({}));
  });

  test("reads its own form where it lies, and any other manifest through JSON", () => {
    const files = treeFiles(30);
    files['we"ird.json'] = { sha1: sha(7), size: 7 };
    const canonical = Buffer.from(reference(files));
    const read = ManifestText.fromBytes(canonical);
    expect(read.size).toBe(Object.keys(files).length);
    for (const [path, entry] of Object.entries(files)) expect(read.get(path)).toEqual(entry);
    expect(read.get("users/0/999.json")).toBeUndefined();
    // Spaced and unsorted: same entries, rewritten in the canonical form.
    const spaced = Buffer.from(JSON.stringify({ version: 1, files: Object.fromEntries(Object.entries(files).reverse()) }, null, 2));
    expect(ManifestText.fromBytes(spaced).toBytes().equals(canonical)).toBe(true);
    expect(() => ManifestText.fromBytes(Buffer.from('{"version":2,"files":{}}'))).toThrow();
    expect(() => ManifestText.fromBytes(Buffer.from("not json"))).toThrow();
  });

  test("range gives the paths under a prefix", () => {
    const text = ManifestText.fromFiles(treeFiles(40));
    const [from, to] = text.range("users/");
    expect(to - from).toBe(40);
    for (let i = from; i < to; i++) expect(text.pathAt(i).startsWith("users/")).toBe(true);
    const [cf, ct] = text.range("countries/");
    expect(ct - cf).toBe(3);
    expect(text.range("nothing/")[1] - text.range("nothing/")[0]).toBe(0);
  });

  test("edits equal rebuilding the object, over random edits applied one after another", () => {
    const next = random(42);
    let files = treeFiles(300);
    let text = ManifestText.fromFiles(files);
    for (let round = 0; round < 25; round++) {
      const put = new Map<string, ManifestEntry>();
      const drop: number[] = [];
      const paths = Object.keys(files).sort();
      for (let k = 0; k < 1 + Math.floor(next() * 40); k++) {
        const r = next();
        if (r < 0.4 && paths.length > 0) {
          // Replace an entry (sometimes with the same bytes).
          const path = paths[Math.floor(next() * paths.length)]!;
          put.set(path, { sha1: sha(Math.floor(next() * 1e9)), size: Math.floor(next() * 1e6) });
        } else if (r < 0.7) {
          const id = 1000 + Math.floor(next() * 5000);
          put.set(next() < 0.1 ? ODD_PATHS[id % ODD_PATHS.length]! : `users/${(id % 16).toString(16)}/${id}.json`, { sha1: sha(id), size: id });
        } else if (paths.length > 0) {
          drop.push(text.indexOf(paths[Math.floor(next() * paths.length)]!));
        }
      }
      // A path both dropped and put is put (what writeTree asks for never does both).
      const expected: Record<string, ManifestEntry> = { ...files };
      for (const i of drop) delete expected[text.pathAt(i)];
      for (const [path, entry] of put) expected[path] = entry;
      text = text.edit(put, drop);
      files = expected;
      expect(text.toBytes().toString("utf8")).toBe(reference(files));
      expect(text.size).toBe(Object.keys(files).length);
      // The index of the result is right without a rescan: lookups agree with the object.
      for (const path of Object.keys(files)) expect(text.get(path)).toEqual(files[path]!);
      expect(ManifestText.fromBytes(text.toBytes()).toBytes().equals(text.toBytes())).toBe(true);
      // The ids carried through the edit are the paths' own.
      for (let i = 0; i < text.size; i++) expect(text.idAt(i)).toBe(profileIdOf(text.pathAt(i)));
    }
  });

  test("idAt is the id in each profile path, read from the text, escaped paths included", () => {
    const files = treeFiles(20);
    for (const [i, p] of ODD_PATHS.entries()) files[p] = { sha1: sha(9000 + i), size: i };
    files['users/0/"7".json'] = { sha1: sha(1), size: 1 };
    const read = ManifestText.fromBytes(Buffer.from(reference(files)));
    const ids = new Map<string, number>();
    for (let i = 0; i < read.size; i++) ids.set(read.pathAt(i), read.idAt(i));
    expect(ids.get("users/3/3.json")).toBe(3);
    expect(ids.get("users/4/20.json")).toBe(20);
    expect(ids.get("countries/-1.json")).toBe(-1);
    expect(ids.get("countries/12.json")).toBe(12);
    expect(ids.get("metadata.json")).toBeNaN();
    expect(ids.get("z/last.json")).toBeNaN();
    expect(ids.get('users/0/"7".json')).toBeNaN();
    // The first entry's id is not read across into the text before it.
    expect(ManifestText.fromBytes(Buffer.from(reference({ "9.json": { sha1: sha(1), size: 1 } }))).idAt(0)).toBe(9);
    for (const [path, id] of ids) expect(Object.is(profileIdOf(path), id)).toBe(true);
  });

  test("an edit at both ends and into an empty manifest", () => {
    const empty = ManifestText.fromFiles({});
    const one = empty.edit(new Map([["b.json", { sha1: sha(1), size: 1 }]]), []);
    expect(one.toBytes().toString("utf8")).toBe(reference({ "b.json": { sha1: sha(1), size: 1 } }));
    const three = one.edit(new Map([["a.json", { sha1: sha(2), size: 2 }], ["c.json", { sha1: sha(3), size: 3 }]]), []);
    expect(three.toBytes().toString("utf8")).toBe(
      reference({ "a.json": { sha1: sha(2), size: 2 }, "b.json": { sha1: sha(1), size: 1 }, "c.json": { sha1: sha(3), size: 3 } }),
    );
    const none = three.edit(new Map(), [0, 1, 2]);
    expect(none.toBytes().toString("utf8")).toBe(reference({}));
  });
});
