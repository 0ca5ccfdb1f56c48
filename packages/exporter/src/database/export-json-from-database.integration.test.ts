// The JSON export from real datamarts: the 994-note real sample through the real ETL and the
// datamart builder, exported, changed, exported again and published to a local bare repository.
// The tests of this file run in order and share the exported tree.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { migrate } from "@osm-notes/dwh-sql";
import { runEtl } from "@osm-notes/etl";
import { buildDatamarts } from "@osm-notes/datamarts";
import {
  applyBaseTables,
  freshDatabase,
  markBaseLoadComplete,
  type Sql,
  type TestDatabase,
  loadRealSample,
} from "@osm-notes/testkit";
import { ExporterError } from "../exporter-error.ts";
import { countryProfilePath, userProfilePath } from "../paths.ts";
import { publish } from "../publish/publish.ts";
import { validateDocument } from "../validator.ts";
import { parseDocumentPath } from "../paths.ts";
import { commitCount, touchedBy } from "../../test/git-helpers.ts";
import { datamartExportSource } from "./datamart-export-source.ts";
import { exportJsonFromDatabase } from "./export-json-from-database.ts";
import { sqlFile } from "./_sql-files.ts";
import { decodeRow, packCells, profileColumns } from "./_row-cells.ts";
import { userIndexEntryFromRow } from "../documents/from-rows.ts";
import { removeDir } from "../../test/remove-dir.ts";

let db: TestDatabase;
let sql: Sql;
const root = mkdtempSync(join(tmpdir(), "exporter-db-"));
const out = join(root, "data");
const remote = join(root, "OSM-Notes-Data.git");

beforeAll(async () => {
  db = await freshDatabase({
    name: "dwh",
    prepare: async (s: Sql) => {
      await applyBaseTables(s);
      await migrate(s);
    },
  });
  sql = db.sql;
  await loadRealSample(sql);
  await markBaseLoadComplete(sql);
  await runEtl(sql);
  await buildDatamarts(sql, { scope: "all" });
  spawnSync("git", ["init", "--bare", "--quiet", "--initial-branch=main", remote]);
}, 60_000);

afterAll(async () => {
  await db?.drop();
  removeDir(root);
});

/** Every file of the tree at dir (through the symlink), relative path → sha256. */
function treeHashes(dir: string): Map<string, string> {
  const base = realpathSync(dir);
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(base, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(base);
  return files;
}

const readJson = (path: string): any => JSON.parse(readFileSync(join(out, path), "utf8"));

/**
 * Each export one second later than the previous on metadata's clock: export_date (whole
 * seconds) must differ between exports that follow each other within a second.
 */
let ticks = 0;
function exportAt(options: Parameters<typeof exportJsonFromDatabase>[1]) {
  const shift = 1000 * ++ticks;
  return exportJsonFromDatabase(sql, { asOf: new Date(), now: () => new Date(Date.now() + shift), ...options });
}

async function ids(text: string): Promise<number[]> {
  return (await sql.unsafe<{ id: number }[]>(text)).map((r) => r.id).sort((a, b) => a - b);
}

/** Changes what a datamart build would change: the row's content and its updated_at. */
async function touchUsers(userIds: number[], opens: number): Promise<void> {
  await sql.unsafe(
    `UPDATE dwh.datamartusers SET history_whole_open = $2, updated_at = clock_timestamp() AT TIME ZONE 'UTC'
     WHERE user_id = ANY($1::integer[])`,
    [userIds, opens],
  );
}

describe("exportJsonFromDatabase on the 994-note sample", () => {
  let firstUsers: number[] = [];

  test("full export: every document valid, one file per user and country at its path, rows recorded", async () => {
    const rowVersions = async () =>
      (await sql<{ v: string }[]>`
        SELECT (SELECT string_agg(xmin::text, ',' ORDER BY user_id) FROM dwh.datamartusers)
               || ';' || (SELECT string_agg(xmin::text, ',' ORDER BY country_id) FROM dwh.datamartcountries) AS v`)[0]!.v;
    const versionsBefore = await rowVersions();
    expect((await sql<{ n: number }[]>`SELECT count(*)::integer AS n FROM dwh.json_export_pending`)[0]!.n).toBeGreaterThan(100);
    const report = await exportAt({ outDir: out });
    expect(report.mode).toBe("full");
    expect(report.fullReason).toBe("no previous tree");

    firstUsers = await ids("SELECT user_id AS id FROM dwh.datamartusers WHERE user_id >= 1");
    const countries = await ids("SELECT country_id AS id FROM dwh.datamartcountries");
    expect(firstUsers.length).toBeGreaterThan(100);
    expect(countries.length).toBeGreaterThan(5);
    expect(report.users).toBe(firstUsers.length);
    expect(report.countries).toBe(countries.length);
    // Nothing below 1 in the user datamart is left out silently.
    expect(await ids("SELECT user_id AS id FROM dwh.datamartusers WHERE user_id < 1")).toEqual([]);

    const files = treeHashes(out);
    const userFiles: number[] = [];
    const countryFiles: number[] = [];
    for (const path of files.keys()) {
      if (path.startsWith(".")) continue; // tree metadata (manifest, changes)
      const parsed = parseDocumentPath(path);
      expect(parsed).toBeDefined();
      const doc = readJson(path);
      expect(validateDocument(parsed!.kind, doc)).toEqual([]);
      if (parsed!.kind === "user-profile") {
        userFiles.push(parsed!.id!);
        expect(path).toBe(userProfilePath(doc.user_id));
      }
      if (parsed!.kind === "country-profile") {
        countryFiles.push(parsed!.id!);
        expect(path).toBe(countryProfilePath(doc.country_id));
      }
    }
    expect(userFiles.sort((a, b) => a - b)).toEqual(firstUsers);
    expect(countryFiles.sort((a, b) => a - b)).toEqual(countries);
    // + 4 fixed files + manifest + .changes.json (the twin it left for the next incremental export)
    expect(files.size).toBe(firstUsers.length + countries.length + 6);
    expect(report.written).toBe(files.size - 2);

    const metadata = readJson("metadata.json");
    expect(metadata.total_users).toBe(firstUsers.length);
    expect(readJson("indexes/users.json").map((u: { user_id: number }) => u.user_id).sort((a: number, b: number) => a - b)).toEqual(firstUsers);
    // The profile carries the datamart's values (one user checked column by column).
    const [row] = await sql<{ user_id: number; username: string; history_whole_open: number; history_whole_closed: number }[]>`
      SELECT user_id, username, history_whole_open, history_whole_closed FROM dwh.datamartusers
      WHERE user_id >= 1 ORDER BY history_whole_open DESC, user_id LIMIT 1`;
    const profile = readJson(userProfilePath(row!.user_id));
    expect([profile.username, profile.history_whole_open, profile.history_whole_closed]).toEqual([
      row!.username,
      row!.history_whole_open,
      row!.history_whole_closed,
    ]);
    expect(profile.last_year_activity).toMatch(/^[0-9]{371}$/);

    const [pending] = await sql<{ n: number }[]>`
      SELECT count(*)::integer AS n FROM dwh.json_export_pending`;
    expect(pending!.n).toBe(0);
    const [state] = await sql<{ mode: string }[]>`SELECT mode FROM dwh.json_export_state`;
    expect(state!.mode).toBe("full");
    // Recording the export never rewrote a datamart row (same row versions as before it).
    expect(await rowVersions()).toBe(versionsBefore);
  });

  test("every user row read as columns (json/user-profiles-all.sql) is the object row_to_json gives", async () => {
    const { expected, decoded } = await sql.begin(async (tx) => {
      await tx.unsafe("SET LOCAL DateStyle = 'ISO, YMD'");
      const json = await tx.unsafe<{ row: string }[]>("SELECT row_to_json(u)::text AS row FROM dwh.datamartusers u WHERE user_id >= 1 ORDER BY user_id");
      const raw = await tx.unsafe(`SELECT * FROM (${sqlFile("json/user-profiles-all")}) x ORDER BY user_id`, [1]).raw();
      const columns = profileColumns((raw as unknown as { columns: Array<{ name: string; type: number }> }).columns);
      const cells = packCells(raw as unknown as Array<Array<Uint8Array | null>>, columns.length);
      const rows = raw.map((_, i) => JSON.stringify(decodeRow(columns, cells, i).row));
      return { expected: json.map((r) => JSON.stringify(JSON.parse(r.row))), decoded: rows };
    });
    expect(decoded.length).toBe(firstUsers.length);
    expect(decoded).toEqual(expected);
  });

  test("nothing changed: incremental, no profile read, only metadata.json rewritten", async () => {
    const report = await exportAt({ outDir: out });
    expect(report.mode).toBe("incremental");
    expect(report.documents).toBe(4);
    expect(report.written).toBe(1); // export_date moved
    expect(report.deleted).toBe(0);
    expect(report.carried).toBe(firstUsers.length + report.countries);
  });

  test("first publish commits the tree; a second publish with no change makes no commit", async () => {
    const first = await publish(out, `git:${remote}`, { workDir: join(root, "publish-work") });
    expect(first.commit).toBeDefined();
    expect(first.added.length).toBe(firstUsers.length + (await ids("SELECT country_id AS id FROM dwh.datamartcountries")).length + 4);
    const second = await publish(out, `git:${remote}`, { workDir: join(root, "publish-work") });
    expect(second.commit).toBeUndefined();
    expect(commitCount(remote)).toBe(1);
  });

  test("3 changed users: only their profiles, the user index and metadata are rewritten; one commit of exactly those", async () => {
    const changed = firstUsers.slice(5, 8);
    await touchUsers(changed, 4242);
    const report = await exportAt({ outDir: out });
    expect(report.mode).toBe("incremental");
    expect(report.documents).toBe(3 + 4);
    const manifestPaths = changed.map(userProfilePath);
    const versionWritten = (await import("../tree/manifest.ts")).readManifest;
    expect(await versionWritten(report.versionDir)).toBeDefined();
    for (const id of changed) expect(readJson(userProfilePath(id)).history_whole_open).toBe(4242);
    expect(report.written).toBe(3 + 2); // 3 profiles, indexes/users.json, metadata.json (global unchanged)

    const published = await publish(out, `git:${remote}`, { workDir: join(root, "publish-work") });
    expect(published.commit).toBeDefined();
    expect(commitCount(remote)).toBe(2);
    expect(touchedBy(remote)).toEqual(
      [...manifestPaths, "indexes/users.json", "metadata.json"].map((p) => `data/${p}`).sort(),
    );
  });

  test("hostile usernames are data inside the JSON, never paths", async () => {
    const hostile = ["../../etc/passwd", `quo"te's`, "<script>alert(1)</script>", "🦄 ünïcödé 名前", "x".repeat(1000)];
    const victims = firstUsers.slice(10, 10 + hostile.length);
    for (const [i, id] of victims.entries()) {
      // The datamart keeps what the dimension says (varchar(256)); the 1 000-character name goes
      // to the dimension only when it fits, so the datamart column is widened for the test.
      await sql.unsafe(`UPDATE dwh.dimension_users SET username = left($2, 256) WHERE user_id = $1`, [id, hostile[i]!]);
    }
    await sql.unsafe("ALTER TABLE dwh.datamartusers ALTER COLUMN username TYPE text");
    for (const [i, id] of victims.entries()) {
      await sql.unsafe(
        `UPDATE dwh.datamartusers SET username = $2, updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE user_id = $1`,
        [id, hostile[i]!],
      );
    }
    const report = await exportAt({ outDir: out });
    expect(report.mode).toBe("incremental");
    for (const [i, id] of victims.entries()) {
      expect(readJson(userProfilePath(id)).username).toBe(hostile[i]!);
    }
    const index = readJson("indexes/users.json") as Array<{ user_id: number; username: string }>;
    for (const [i, id] of victims.entries()) expect(index.find((u) => u.user_id === id)?.username).toBe(hostile[i]!);
    // Every file is still an export path: no name reached the file system.
    for (const path of treeHashes(out).keys()) if (!path.startsWith(".")) expect(parseDocumentPath(path)).toBeDefined();
    expect(readdirSync(root).sort()).toEqual(expect.arrayContaining(["data"]));
    expect(readdirSync(root).some((n) => n.includes("passwd") || n.includes("etc"))).toBe(false);
  });

  test("an invalid document fails the export, names file and rule, leaves the tree byte-identical and the row pending", async () => {
    const before = treeHashes(out);
    const versionBefore = readlinkSync(out);
    const [stateBefore] = await sql<{ manifest_blob_id: string }[]>`SELECT manifest_blob_id FROM dwh.json_export_state`;
    const victim = firstUsers[20]!;
    const other = firstUsers[21]!;
    await sql.unsafe(
      `UPDATE dwh.datamartusers SET history_whole_closed = -7, updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE user_id = $1`,
      [victim],
    );
    await touchUsers([other], 77);
    // A country profile too (prepared apart from the users, as soon as its row is read).
    const [country] = await ids("SELECT country_id AS id FROM dwh.datamartcountries ORDER BY country_id LIMIT 1");
    await sql.unsafe(
      `UPDATE dwh.datamartcountries SET history_whole_open = -3, updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE country_id = $1`,
      [country!],
    );
    const err = (await exportAt({ outDir: out }).catch((e: unknown) => e)) as ExporterError;
    expect(err).toBeInstanceOf(ExporterError);
    expect(err.code).toBe("invalid_documents");
    expect(err.message).toContain(userProfilePath(victim));
    expect(err.message).toContain("/history_whole_closed");
    expect(err.message).toContain("minimum");
    expect(err.message).toContain(`${countryProfilePath(country!)} /history_whole_open`);
    expect(treeHashes(out)).toEqual(before);
    expect(readlinkSync(out)).toBe(versionBefore);
    // Beside it at most the predecessor the failed run was updating: without a manifest now,
    // so never reused as it is.
    const others = readdirSync(root).filter((n) => n.startsWith("data.v-") && n !== versionBefore);
    expect(others.length).toBeLessThanOrEqual(1);
    for (const dir of others) expect(existsSync(join(root, dir, ".manifest.json"))).toBe(false);
    const pending = await ids("SELECT id FROM dwh.json_export_pending WHERE datamart = 'users'");
    expect(pending).toEqual([victim, other].sort((a, b) => a - b));
    expect(await ids("SELECT id FROM dwh.json_export_pending WHERE datamart = 'countries'")).toEqual([country!]);
    const [stateAfter] = await sql<{ manifest_blob_id: string }[]>`SELECT manifest_blob_id FROM dwh.json_export_state`;
    expect(stateAfter!.manifest_blob_id).toBe(stateBefore!.manifest_blob_id);

    // Fixed by the next datamart build: the next export picks all three up.
    await sql.unsafe(
      `UPDATE dwh.datamartusers SET history_whole_closed = 1, updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE user_id = $1`,
      [victim],
    );
    await sql.unsafe(
      `UPDATE dwh.datamartcountries SET history_whole_open = 3, updated_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE country_id = $1`,
      [country!],
    );
    const report = await exportAt({ outDir: out });
    expect(report.documents).toBe(2 + 1 + 4);
    expect(readJson(countryProfilePath(country!)).history_whole_open).toBe(3);
    expect(readJson(userProfilePath(other)).history_whole_open).toBe(77);
  });

  test("a removed user's file goes, with its index entry", async () => {
    const gone = firstUsers[30]!;
    await sql.unsafe("DELETE FROM dwh.datamartusers WHERE user_id = $1", [gone]);
    const report = await exportAt({ outDir: out });
    expect(report.deleted).toBe(1);
    expect(() => readJson(userProfilePath(gone))).toThrow();
    expect(readJson("metadata.json").total_users).toBe(firstUsers.length - 1);
  });

  test("a writer that stops early closes the cursor and the transaction; nothing is recorded", async () => {
    const source = datamartExportSource(sql);
    let seen = 0;
    for await (const _ of source.entries("full")) if (++seen === 3) break;
    expect(seen).toBe(3);
    const [busy] = await sql<{ n: number }[]>`
      SELECT count(*)::integer AS n FROM pg_stat_activity
      WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
    expect(busy!.n).toBe(0);
    // Every pooled connection still answers (none is stuck behind an open portal).
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => sql<{ i: number }[]>`SELECT ${i}::integer AS i`));
    expect(answers.map((r) => r[0]!.i)).toEqual([1, 2, 3, 4, 5, 6]);
    await source.markExported!({} as never, "full"); // entries() did not complete: a no-op
  });

  test("another output directory, or datamarts not computed for today, never get a partial export", async () => {
    const other = join(root, "other");
    const changed = firstUsers[40]!;
    await touchUsers([changed], 99);
    const report = await exportAt({ outDir: other });
    expect(report.mode).toBe("full");
    // The change is recorded as exported (into `other`); `out` lacks it and is no longer the
    // tree the database recorded, so its next export is full and carries the change.
    const back = await exportAt({ outDir: out });
    expect(back.mode).toBe("full");
    expect(back.fullReason).toContain("not the one the database recorded");
    expect(readJson(userProfilePath(changed)).history_whole_open).toBe(99);

    const tomorrow = new Date(Date.now() + 86_400_000);
    const before = treeHashes(out);
    const err = (await exportAt({ outDir: out, asOf: tomorrow }).catch((e: unknown) => e)) as ExporterError;
    expect(err.code).toBe("stale_datamarts");
    expect(treeHashes(out)).toEqual(before);
  });

  test("profiles prepared in worker threads, on the main thread, or by the writer (custom validator): the same tree", async () => {
    const at = new Date();
    const trees = [];
    for (const [name, options] of [
      ["workers", { profileWorkers: 2 }],
      ["inline", { profileWorkers: 0 }],
      ["writer", { validate: (kind: Parameters<typeof validateDocument>[0], doc: unknown) => validateDocument(kind, doc) }],
    ] as const) {
      const report = await exportJsonFromDatabase(sql, { outDir: join(root, `same-${name}`), full: true, asOf: at, now: () => at, ...options });
      expect(report.documents).toBe(report.users + report.countries + 4);
      const files = treeHashes(join(root, `same-${name}`));
      files.delete(".manifest.json"); // holds nothing but the files' ids, compared here one by one
      files.delete(".changes.json");
      trees.push(files);
    }
    expect(trees[0]!.size).toBeGreaterThan(100);
    expect(trees[1]).toEqual(trees[0]!);
    expect(trees[2]).toEqual(trees[0]!);
    // A custom validator runs on every profile (the writer's path, not the workers').
    let seen = 0;
    const counted = await exportJsonFromDatabase(sql, {
      outDir: join(root, "same-counted"), full: true, asOf: at, now: () => at,
      validate: (kind, doc) => (kind === "user-profile" && seen++, validateDocument(kind, doc)),
    });
    expect(seen).toBe(counted.users);
  });

  test("incremental: the user index is the current one patched, byte-identical to a rebuild; a tampered file is not trusted", async () => {
    // The whole index as a full export builds it, from the database as it is now.
    const rebuilt = async () => {
      const chunks = await sql.unsafe<Array<{ tuples: string }>>(sqlFile("json/user-index"), [1]);
      const columns = ["user_id", "username", "history_whole_open", "history_whole_closed", "history_year_open", "history_year_closed",
        "latest_open_note_id", "latest_commented_note_id", "latest_closed_note_id"];
      const rows = chunks.flatMap((c) => (JSON.parse(c.tuples) as unknown[][]).map((t) => Object.fromEntries(columns.map((k, i) => [k, t[i]]))));
      return `${JSON.stringify(rows.map((r) => userIndexEntryFromRow(r as never)))}\n`;
    };
    const usersJson = () => readFileSync(join(out, "indexes/users.json"), "utf8");
    await exportAt({ outDir: out }); // the recorded tree may be another directory's (tests above)
    const moved = firstUsers.slice(40, 43);
    await touchUsers(moved, 5151); // to the top of the index
    const report = await exportAt({ outDir: out });
    expect(report.mode).toBe("incremental");
    expect(usersJson()).toBe(await rebuilt());
    expect((JSON.parse(usersJson()) as Array<{ user_id: number }>).slice(0, 3).map((e) => e.user_id).sort()).toEqual([...moved].sort());

    // An unchanged user's entry edited in the current tree (its manifest untouched): the next
    // incremental export must not copy it.
    const file = join(realpathSync(out), "indexes/users.json");
    const victim = firstUsers[44]!;
    const text = readFileSync(file, "utf8");
    const name = (JSON.parse(text) as Array<{ user_id: number; username: string }>).find((e) => e.user_id === victim)!.username;
    const tampered = text.replace(`{"user_id":${victim},"username":${JSON.stringify(name)}`, `{"user_id":${victim},"username":"tampered"`);
    expect(tampered).not.toBe(text);
    rmSync(file); // a new file: the predecessor shares the old one's inode
    writeFileSync(file, tampered);
    await touchUsers([firstUsers[45]!], 6161);
    const next = await exportAt({ outDir: out });
    expect(next.mode).toBe("incremental");
    expect(usersJson()).not.toContain('"tampered"');
    expect(usersJson()).toBe(await rebuilt());
  });
});
