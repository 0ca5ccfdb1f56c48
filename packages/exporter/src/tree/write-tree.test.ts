import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExporterError, userProfilePath, writeTree, type InvalidDocument } from "../index.ts";
import { sampleUserProfile } from "../../test/sample-documents.ts";
import { indexEntries, range, snapshot, treeEntries, type TreeSpec } from "../../test/tree-fixtures.ts";
import { removeDir } from "../../test/remove-dir.ts";
import { validateDocument } from "../validator.ts";
import { dataSchemaHash } from "../json-schemas.ts";
import { prepareDocument } from "./_prepare.ts";

const root = mkdtempSync(join(tmpdir(), "exporter-tree-"));
afterAll(() => removeDir(root));
let out: string;
let n = 0;
beforeEach(() => {
  n += 1;
  mkdirSync(join(root, `case${n}`));
  out = join(root, `case${n}`, "out");
});

const spec = (users: number[], countries = [-1, 51477]): TreeSpec => ({
  users: users.map((id) => ({ id })),
  countries: countries.map((id) => ({ id })),
});

async function expectFailure(p: Promise<unknown>): Promise<ExporterError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ExporterError);
    return err as ExporterError;
  }
  throw new Error("expected the export to fail");
}

describe("writeTree", () => {
  test("writes a full tree behind a symlink, with a manifest, and relinks identical content", async () => {
    const first = await writeTree(out, treeEntries(spec(range(1, 30))));
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(first.written.length).toBe(30 + 2 + 4);
    expect(JSON.parse(readFileSync(join(out, "users/0/0/5/5.json"), "utf8")).user_id).toBe(5);
    expect(Object.keys(first.manifest.files).length).toBe(36);

    const second = await writeTree(out, treeEntries(spec(range(1, 30))));
    expect(second.written).toEqual([]);
    expect(second.unchanged).toBe(36);
    // Unchanged files are hard links into the previous version, not copies.
    expect(statSync(join(second.versionDir, "users/0/0/5/5.json")).ino).toBe(
      statSync(join(first.versionDir, "users/0/0/5/5.json")).ino,
    );
    // Only the current and the previous version remain beside out.
    expect(readdirSync(join(out, "..")).filter((x) => x.startsWith("out.v-")).length).toBe(2);
  });

  test("invalid documents fail the export, ALL are listed with pointer and rule, previous tree byte-identical", async () => {
    await writeTree(out, treeEntries(spec(range(1, 10))));
    const before = snapshot(out);
    const target = readlinkSync(out);

    const entries = treeEntries(spec(range(1, 10)));
    const bad = (id: number, patch: Record<string, unknown>) => {
      const e = entries.find((x) => x.path === userProfilePath(id))! as { document: Record<string, unknown> };
      Object.assign(e.document, patch);
    };
    bad(2, { history_whole_open: "12" }); // a string where the Viewer needs a number
    bad(5, { username: null });
    bad(9, { history_2024_open: -1, last_year_activity: "01" });
    const err = await expectFailure(writeTree(out, entries));
    expect(err.code).toBe("invalid_documents");
    const invalid = err.details as InvalidDocument[];
    expect(invalid.map((d) => d.path)).toEqual([userProfilePath(2), userProfilePath(5), userProfilePath(9)]);
    expect(invalid[0]!.issues).toEqual([
      expect.objectContaining({ instancePath: "/history_whole_open", keyword: "type", schemaPath: "#/properties/history_whole_open/type" }),
    ]);
    expect(invalid[1]!.issues[0]).toMatchObject({ instancePath: "/username", keyword: "type" });
    expect(invalid[2]!.issues.map((i) => `${i.instancePath} ${i.keyword}`).sort()).toEqual([
      "/history_2024_open minimum",
      "/last_year_activity pattern",
    ]);
    expect(err.message).toContain("users/0/0/2/2.json /history_whole_open");

    expect(readlinkSync(out)).toBe(target);
    expect(snapshot(out)).toEqual(before);
    // The failed staging directory is gone.
    expect(readdirSync(join(out, "..")).filter((x) => x.startsWith("out.v-")).length).toBe(1);
  });

  test("hostile usernames only ever appear inside JSON content", async () => {
    const hostile = [
      "../../etc/passwd", '"; rm -rf / #', "<img src=x onerror=alert(1)>", "🦄 emoji 🔥", "x".repeat(1000),
      "a/b\\c", "..", "NUL\u0000byte", "line\nbreak",
    ];
    const users = hostile.map((name, i) => ({ id: 100 + i, name }));
    const report = await writeTree(out, treeEntries({ users, countries: [{ id: -1, name: "../../../evil" }] }));
    const paths = Object.keys(report.manifest.files);
    for (const p of paths) expect(p).toMatch(/^(users\/[0-9a-f]\/[0-9a-f]\/[0-9a-f]\/\d+\.json|countries\/-?\d+\.json|indexes\/(users|countries)\.json|metadata\.json|global_stats\.json)$/);
    // Nothing escaped the tree: the parent only holds out and its version directory.
    expect(readdirSync(join(out, "..")).sort()).toEqual(["out", readlinkSync(out)].sort());
    const index = JSON.parse(readFileSync(join(out, "indexes/users.json"), "utf8")) as Array<{ username: string }>;
    expect(index.map((e) => e.username)).toEqual(hostile);
    for (const [i, name] of hostile.entries()) {
      expect(JSON.parse(readFileSync(join(out, userProfilePath(100 + i)), "utf8")).username).toBe(name);
    }
  });

  test("a path that does not match the id inside the document is refused", async () => {
    const entries = treeEntries(spec([1, 2]));
    entries.push({ path: "users/0/0/3/../../../../evil.json", kind: "user-profile", document: sampleUserProfile(3) });
    entries.push({ path: userProfilePath(4), kind: "user-profile", document: sampleUserProfile(5) });
    const err = await expectFailure(writeTree(out, entries));
    expect((err.details as InvalidDocument[]).map((d) => [d.path, d.issues[0]!.keyword])).toEqual([
      ["users/0/0/3/../../../../evil.json", "path"],
      [userProfilePath(4), "path"],
    ]);
    expect(() => lstatSync(out)).toThrow();
  });

  test("prepared profiles: same files as plain documents; a wrong path or a skipped validation is refused", async () => {
    const plain = treeEntries(spec([1, 2]));
    const viaPrepare = plain.map((e) =>
      "document" in e && e.kind === "user-profile"
        ? { path: e.path, kind: e.kind, prepared: prepareDocument(e.path, e.kind, e.document, validateDocument) }
        : e,
    );
    expect(viaPrepare.filter((e) => "prepared" in e).length).toBe(2);
    const other = join(root, `case${n}`, "other");
    await writeTree(out, plain);
    await writeTree(other, viaPrepare);
    expect(snapshot(other)).toEqual(snapshot(out));

    // A prepared entry at another kind's path, or prepared without validation for a writer that validates.
    const bad = prepareDocument(userProfilePath(3), "user-profile", sampleUserProfile(3), validateDocument);
    const misplaced = [...treeEntries(spec([1])), { path: "countries/3.json", kind: "user-profile" as const, prepared: bad }];
    const err = await expectFailure(writeTree(join(root, `case${n}`, "third"), misplaced));
    expect((err.details as InvalidDocument[]).map((d) => [d.path, d.issues[0]!.keyword])).toEqual([["countries/3.json", "path"]]);
    const unvalidated = prepareDocument(userProfilePath(1), "user-profile", sampleUserProfile(1), undefined);
    const entries = treeEntries(spec([1])).map((e) => (e.path === userProfilePath(1) ? { path: e.path, kind: "user-profile" as const, prepared: unvalidated } : e));
    await expect(writeTree(join(root, `case${n}`, "fourth"), entries)).rejects.toThrow("prepared without validation");
    await expect(writeTree(join(root, `case${n}`, "fifth"), entries, { validate: false })).resolves.toBeDefined();
  });

  test("a tree without the files every Viewer page starts from is refused", async () => {
    const entries = treeEntries(spec([1])).filter((e) => e.path !== "global_stats.json");
    const err = await expectFailure(writeTree(out, entries));
    expect(err.code).toBe("inconsistent_tree");
    expect(err.message).toContain("missing global_stats.json");
    await writeTree(out, entries, { complete: false });
  });

  test("indexes, metadata and profiles must agree", async () => {
    const entries = treeEntries(spec([1, 2, 3]));
    const onlyProfiles = entries.filter((e) => e.path !== userProfilePath(3));
    const err = await expectFailure(writeTree(out, onlyProfiles));
    expect(err.code).toBe("inconsistent_tree");
    expect(err.message).toContain("users in the index without a profile: 3");
  });

  test("incremental: rewrites only changed documents, deletes removed entities, carries the rest", async () => {
    const first = await writeTree(out, treeEntries(spec(range(1, 50))));
    // Next run: users 7 and 8 changed, user 3 removed, user 51 is new; indexes always given.
    const next: TreeSpec = {
      users: [...range(1, 51).filter((id) => id !== 3)].map((id) => ({ id, opens: id === 7 || id === 8 ? 99 : undefined })),
      countries: [{ id: -1 }, { id: 51477 }],
    };
    const changed = next.users.filter((u) => [7, 8, 51].includes(u.id));
    const entries = [
      ...treeEntries({ users: changed, countries: [] }).filter((e) => e.kind === "user-profile"),
      // user 9 is given again unchanged: relinked, not rewritten
      ...treeEntries({ users: [{ id: 9 }], countries: [] }).filter((e) => e.kind === "user-profile"),
      ...indexEntries(next),
    ];
    const report = await writeTree(out, entries, { mode: "incremental" });
    expect(report.written).toEqual(
      [userProfilePath(51), userProfilePath(7), userProfilePath(8), "indexes/users.json"].sort(),
    );
    // user 9, the country index, global stats and metadata (still 50 users): same bytes
    expect(report.unchanged).toBe(4);
    expect(report.deleted).toEqual([userProfilePath(3)]);
    expect(report.carried).toBe(50 - 1 - 3 + 2); // users 1..50 minus 3, 7, 8, 9; plus two countries
    expect(() => statSync(join(out, userProfilePath(3)))).toThrow();
    expect(JSON.parse(readFileSync(join(out, userProfilePath(7)), "utf8")).history_whole_open).toBe(99);
    expect(statSync(join(out, userProfilePath(20))).ino).toBe(statSync(join(first.versionDir, userProfilePath(20))).ino);
    // The complete tree equals what a full export of the same state writes.
    const full = join(root, `case${n}`, "full");
    await writeTree(full, treeEntries(next));
    // .changes.json names each version's predecessor: the only file that may differ.
    const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
    expect(content(out)).toEqual(content(full));
  });

  test("incremental runs reuse the predecessor version: same trees as full exports, current tree never touched", async () => {
    const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
    const changedProfiles = (s: TreeSpec, ids: number[]) =>
      treeEntries({ users: s.users.filter((u) => ids.includes(u.id)), countries: [] }).filter((e) => e.kind === "user-profile");
    await writeTree(out, treeEntries(spec(range(1, 40))));
    // Each step: some users change, one leaves, one arrives; only those profiles are given.
    const steps: Array<{ spec: TreeSpec; given: number[] }> = [];
    let users = range(1, 40).map((id) => ({ id, opens: undefined as number | undefined }));
    for (let i = 0; i < 4; i++) {
      users = users.filter((u) => u.id !== 3 + i).map((u) => (u.id % 5 === i ? { ...u, opens: 100 + i } : u));
      users.push({ id: 100 + i, opens: undefined });
      steps.push({ spec: { users, countries: [{ id: -1 }, { id: 51477 }] }, given: users.filter((u) => u.id % 5 === i || u.id === 100 + i).map((u) => u.id) });
    }
    const bases: Array<string | undefined> = [];
    for (const [i, step] of steps.entries()) {
      const current = readlinkSync(out);
      const currentBefore = snapshot(out);
      const report = await writeTree(out, [...changedProfiles(step.spec, step.given), ...indexEntries(step.spec)], { mode: "incremental" });
      bases.push(report.base);
      // The version that was current is byte-identical (a reader holding it saw no change)…
      expect(snapshot(join(out, "..", current))).toEqual(currentBefore);
      // …and the new tree is exactly what a full export of the same state writes.
      const full = join(root, `case${n}`, `full${i}`);
      await writeTree(full, treeEntries(step.spec));
      expect(content(out)).toEqual(content(full));
    }
    // The first incremental after a full export over nothing links a fresh copy; later ones reuse.
    expect(bases).toEqual(["linked", "reused", "reused", "reused"]);
    expect(readdirSync(join(out, "..")).filter((x) => x.startsWith("out.v-")).length).toBe(2);
  });

  test("incremental: a previous manifest out of order still gives the sorted manifest of a full export", async () => {
    await writeTree(out, treeEntries(spec(range(1, 30))));
    // The same manifest with its entries reversed (valid JSON, not written by this code).
    const manifestPath = join(out, ".manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: 1; files: Record<string, unknown> };
    writeFileSync(manifestPath, `${JSON.stringify({ version: 1, files: Object.fromEntries(Object.entries(manifest.files).reverse()) })}\n`);
    // Users 5 and 12 leave, 31 and 4095 arrive (new paths before, between and after old ones), 9 changes.
    const next = spec([...range(1, 30).filter((id) => id !== 5 && id !== 12), 31, 4095]);
    next.users = next.users.map((u) => (u.id === 9 ? { ...u, opens: 7 } : u));
    const given = treeEntries({ users: next.users.filter((u) => [9, 31, 4095].includes(u.id)), countries: [] }).filter((e) => e.kind === "user-profile");
    const report = await writeTree(out, [...given, ...indexEntries(next)], { mode: "incremental" });
    expect(report.deleted).toEqual([userProfilePath(12), userProfilePath(5)].sort());
    const full = join(root, `case${n}`, "full");
    await writeTree(full, treeEntries(next));
    expect(readFileSync(join(out, ".manifest.json"), "utf8")).toBe(readFileSync(join(full, ".manifest.json"), "utf8"));
    expect(Object.keys(report.manifest.files)).toEqual(Object.keys(report.manifest.files).sort());

    // On top of that sorted manifest: new paths merged in before (users/0/0/0/4096.json), between
    // (users/8/0/0/2048.json) and after the previous ones (users/f/f/f/8191.json).
    const then = spec([...next.users.map((u) => u.id), 4096, 2048, 8191]);
    then.users = then.users.map((u) => (u.id === 9 ? { ...u, opens: 7 } : u));
    const added = treeEntries({ users: then.users.filter((u) => [4096, 2048, 8191].includes(u.id)), countries: [] }).filter((e) => e.kind === "user-profile");
    await writeTree(out, [...added, ...indexEntries(then)], { mode: "incremental" });
    const full2 = join(root, `case${n}`, "full2");
    await writeTree(full2, treeEntries(then));
    expect(readFileSync(join(out, ".manifest.json"), "utf8")).toBe(readFileSync(join(full2, ".manifest.json"), "utf8"));
  });

  test("incremental: a failed run leaves the current tree intact; the predecessor it spoiled is never reused", async () => {
    await writeTree(out, treeEntries(spec(range(1, 20))));
    await writeTree(out, [...indexEntries(spec(range(1, 21))), ...treeEntries(spec([21])).filter((e) => e.kind === "user-profile")], {
      mode: "incremental",
    });
    const current = readlinkSync(out);
    const before = snapshot(out);
    const bad = { ...sampleUserProfile(5), history_whole_open: -1 };
    await expectFailure(
      writeTree(out, [{ path: userProfilePath(5), kind: "user-profile", document: bad }, ...indexEntries(spec(range(1, 21)))], {
        mode: "incremental",
      }),
    );
    expect(readlinkSync(out)).toBe(current);
    expect(snapshot(out)).toEqual(before);
    const next = await writeTree(out, [...treeEntries(spec([7])).filter((e) => e.kind === "user-profile"), ...indexEntries(spec(range(1, 21)))], {
      mode: "incremental",
    });
    expect(next.base).toBe("linked");
    const full = join(root, `case${n}`, "full");
    await writeTree(full, treeEntries(spec(range(1, 21))));
    const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
    expect(content(out)).toEqual(content(full));
  });

  test("a full export with a twin: the first incremental after it reuses the twin instead of linking every file", async () => {
    const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
    const first = await writeTree(out, treeEntries(spec(range(1, 30))), { twin: true });
    const parent = join(out, "..");
    const twin = readdirSync(parent).filter((x) => x.startsWith("out.v-") && x !== readlinkSync(out));
    expect(twin.length).toBe(1);
    // Same files (hard links, manifest included), recorded as the current version's predecessor.
    expect(content(join(parent, twin[0]!))).toEqual(content(out));
    expect(statSync(join(parent, twin[0]!, userProfilePath(5))).ino).toBe(statSync(join(first.versionDir, userProfilePath(5))).ino);
    expect(JSON.parse(readFileSync(join(out, ".changes.json"), "utf8"))).toEqual({ base: twin[0], paths: [], validated: dataSchemaHash() });

    const before = snapshot(out);
    const current = readlinkSync(out);
    const next: TreeSpec = { users: [...range(1, 31).filter((id) => id !== 3)].map((id) => ({ id, opens: id === 7 ? 99 : undefined })), countries: spec([]).countries };
    const given = treeEntries({ users: next.users.filter((u) => u.id === 7 || u.id === 31), countries: [] }).filter((e) => e.kind === "user-profile");
    const report = await writeTree(out, [...given, ...indexEntries(next)], { mode: "incremental" });
    expect(report.base).toBe("reused");
    expect(report.versionDir).toBe(join(parent, twin[0]!));
    expect(report.deleted).toEqual([userProfilePath(3)]);
    expect(snapshot(join(parent, current))).toEqual(before);
    const full = join(root, `case${n}`, "full");
    await writeTree(full, treeEntries(next));
    expect(content(out)).toEqual(content(full));

    // A twin that lost its manifest (a run killed while linking it) is never reused.
    const again = join(root, `case${n}`, "again");
    await writeTree(again, treeEntries(spec(range(1, 30))), { twin: true });
    const base = (JSON.parse(readFileSync(join(again, ".changes.json"), "utf8")) as { base: string }).base;
    rmSync(join(root, `case${n}`, base, ".manifest.json"));
    const linked = await writeTree(again, [...given, ...indexEntries(next)], { mode: "incremental" });
    expect(linked.base).toBe("linked");
    expect(content(again)).toEqual(content(full));
  });

  test("a background twin: linked after the swap by a detached process, whole when it appears, then reused", async () => {
    const content = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => path !== ".changes.json"));
    const parent = join(out, "..");
    const first = await writeTree(out, treeEntries(spec(range(1, 30))), { twin: "background" });
    const base = (JSON.parse(readFileSync(join(out, ".changes.json"), "utf8")) as { base: string }).base;
    expect(base).not.toBe(readlinkSync(out));
    // The export did not wait for it: poll until the detached copy is renamed into place.
    const deadline = Date.now() + 4_000;
    while (!existsSync(join(parent, base, ".manifest.json")) && Date.now() < deadline) await Bun.sleep(20);
    expect(content(join(parent, base))).toEqual(content(out));
    expect(statSync(join(parent, base, userProfilePath(5))).ino).toBe(statSync(join(first.versionDir, userProfilePath(5))).ino);
    // Nothing else beside the two versions (the partial copy was renamed, not left behind).
    expect(readdirSync(parent).filter((x) => x.startsWith("out.v-")).sort()).toEqual([base, readlinkSync(out)].sort());

    const next: TreeSpec = { users: range(1, 31).map((id) => ({ id, opens: id === 7 ? 99 : undefined })), countries: spec([]).countries };
    const given = treeEntries({ users: next.users.filter((u) => u.id === 7 || u.id === 31), countries: [] }).filter((e) => e.kind === "user-profile");
    const report = await writeTree(out, [...given, ...indexEntries(next)], { mode: "incremental" });
    expect(report.base).toBe("reused");
    expect(report.versionDir).toBe(join(parent, base));
    const full = join(root, `case${n}`, "full");
    await writeTree(full, treeEntries(next));
    expect(content(out)).toEqual(content(full));
  });

  test("the validated marker: set only while every file of the version was validated against today's schemas", async () => {
    const marker = () => (JSON.parse(readFileSync(join(out, ".changes.json"), "utf8")) as { validated?: string }).validated;
    const step = (ids: number[], options: Parameters<typeof writeTree>[2]) =>
      writeTree(out, [...treeEntries(spec(ids)).filter((e) => e.kind === "user-profile" && e.path === userProfilePath(ids.at(-1)!)), ...indexEntries(spec(ids))], options);
    await writeTree(out, treeEntries(spec(range(1, 5))));
    expect(marker()).toBe(dataSchemaHash());
    await step(range(1, 6), { mode: "incremental" });
    expect(marker()).toBe(dataSchemaHash());
    await step(range(1, 7), { mode: "incremental", validate: false });
    expect(marker()).toBeUndefined();
    // Validated again, but it carries files of the unvalidated run: still no marker.
    await step(range(1, 8), { mode: "incremental" });
    expect(marker()).toBeUndefined();
    await step(range(1, 9), { mode: "incremental", validate: (kind, doc) => validateDocument(kind, doc) });
    expect(marker()).toBeUndefined();
    await writeTree(out, treeEntries(spec(range(1, 9))));
    expect(marker()).toBe(dataSchemaHash());
  });

  test("incremental: explicit deletions remove files even without a new index", async () => {
    await writeTree(out, treeEntries(spec(range(1, 5))));
    const err = await expectFailure(
      writeTree(out, [{ path: userProfilePath(2), delete: true }], { mode: "incremental" }),
    );
    // The carried index still lists user 2, so the tree would be inconsistent: refused.
    expect(err.code).toBe("inconsistent_tree");
    const ok = await writeTree(
      out,
      [{ path: userProfilePath(2), delete: true }, ...indexEntries(spec([1, 3, 4, 5]))],
      { mode: "incremental" },
    );
    expect(ok.deleted).toEqual([userProfilePath(2)]);
  });

  test("incremental: a new index and the carried profiles must agree (counted on the way, listed on failure)", async () => {
    await writeTree(out, treeEntries(spec(range(1, 5))));
    const before = snapshot(out);
    // The index lists user 6, who has no profile.
    const noProfile = await expectFailure(writeTree(out, indexEntries(spec(range(1, 6))), { mode: "incremental" }));
    expect(noProfile.code).toBe("inconsistent_tree");
    expect(noProfile.message).toContain("users in the index without a profile: 6");
    // A profile given for user 7, whom the index does not list.
    const seven = treeEntries(spec([7])).filter((e) => e.kind === "user-profile");
    const notIndexed = await expectFailure(writeTree(out, [...seven, ...indexEntries(spec(range(1, 5)))], { mode: "incremental" }));
    expect(notIndexed.code).toBe("inconsistent_tree");
    expect(notIndexed.message).toContain("users profiles missing from the index: 7");
    expect(snapshot(out)).toEqual(before);
    // Agreeing: user 3 leaves (its file goes with it), user 7 arrives.
    const ok = await writeTree(out, [...seven, ...indexEntries(spec([1, 2, 4, 5, 7]))], { mode: "incremental" });
    expect(ok.deleted).toEqual([userProfilePath(3)]);
    expect(Object.keys(ok.manifest.files).filter((p) => p.startsWith("users/"))).toEqual([1, 2, 4, 5, 7].map(userProfilePath).sort());
  });

  test("the version before the previous is renamed away at once and deleted in the background", async () => {
    const first = await writeTree(out, treeEntries(spec(range(1, 30))));
    await writeTree(out, treeEntries(spec(range(1, 31))));
    await writeTree(out, treeEntries(spec(range(1, 32))));
    const parent = join(out, "..");
    expect(readdirSync(parent).filter((x) => x.startsWith("out.v-")).length).toBe(2);
    expect(readdirSync(parent)).not.toContain(first.versionDir.split("/").at(-1));
    for (let i = 0; i < 100 && readdirSync(parent).some((x) => x.startsWith("out.trash-")); i++) await Bun.sleep(50);
    expect(readdirSync(parent).filter((x) => x.startsWith("out.trash-"))).toEqual([]);
  });

  test("a plain directory left by another tool is adopted as the previous version", async () => {
    mkdirSync(out);
    writeFileSync(join(out, "old.txt"), "old");
    await writeTree(out, treeEntries(spec([1])));
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(() => statSync(join(out, "old.txt"))).toThrow();
    expect(readdirSync(join(out, "..")).filter((x) => x.startsWith("out.v-")).length).toBe(2);
  });
});
