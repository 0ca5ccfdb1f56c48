import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { freshDatabase, type TestDatabase } from "../test-database.ts";
import { sharedDataPath } from "../shared-data.ts";
import { TestkitError } from "../testkit-error.ts";
import { loadNotesXml, openNotesFile } from "./load-notes.ts";

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), "osmn-load-test-"));
}, 60_000);
afterAll(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async () => {
  const [row] = await db.sql<{ notes: number; actions: number; texts: number; users: number; countries: number }[]>`
    SELECT (SELECT count(*)::int FROM notes) AS notes, (SELECT count(*)::int FROM note_comments) AS actions,
           (SELECT count(*)::int FROM note_comments_text) AS texts, (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM countries) AS countries`;
  return row!;
};
const reset = () => db.sql`TRUNCATE notes, note_comments, note_comments_text, users, countries`;

describe("loading the real samples", () => {
  test("the 994-note sample gives exactly 994 notes, 2211 actions, 841 users; countries from the derived CSVs", async () => {
    await reset();
    const report = await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml")), {
      countriesCsv: sharedDataPath("derived/countries-from-published-index.csv"),
      noteCountriesCsv: sharedDataPath("derived/fixture-994-note-countries.csv"),
    });
    expect(await counts()).toEqual({ notes: 994, actions: 2211, texts: 2211, users: 841, countries: 282 });
    expect(report).toMatchObject({ notesRead: 994, commentsRead: 2211, notesInserted: 994, commentsInserted: 2211, usersUpserted: 841, notesWithCountry: 989 });
    const [facts] = await db.sql<{ anonymous: number; empty: number; opened: number; closed: number; reopened: number; commented: number; open: number; germany: number }[]>`
      SELECT count(*) FILTER (WHERE c.id_user IS NULL)::int AS anonymous,
             count(*) FILTER (WHERE t.body = '')::int AS empty,
             count(*) FILTER (WHERE c.event = 'opened')::int AS opened,
             count(*) FILTER (WHERE c.event = 'closed')::int AS closed,
             count(*) FILTER (WHERE c.event = 'reopened')::int AS reopened,
             count(*) FILTER (WHERE c.event = 'commented')::int AS commented,
             (SELECT count(*)::int FROM notes WHERE status = 'open') AS open,
             (SELECT count(*)::int FROM notes WHERE id_country = 51477) AS germany
      FROM note_comments c JOIN note_comments_text t USING (note_id, sequence_action)`;
    // Hand-checked against the file (shared/data/README.md): 454 anonymous, 434 empty bodies.
    // 96 open: 95 without closed_at, plus note 2019726 whose last action is a reopen.
    expect(facts).toEqual({ anonymous: 454, empty: 434, opened: 990, closed: 954, reopened: 68, commented: 199, open: 96, germany: 131 });
    const [note10] = await db.sql`SELECT status, closed_at::text AS closed_at, latitude::text AS latitude FROM notes WHERE note_id = 10`;
    expect(note10).toEqual({ status: "close", closed_at: "2023-04-20 22:13:52", latitude: "51.7125419" });
  });

  test("the edge-case sample: hidden actions, anonymous actions and empty texts as the spec says", async () => {
    await reset();
    await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/planet-notes-sample-98-edgecases.osn.xml")));
    expect(await counts()).toMatchObject({ notes: 98, actions: 397, texts: 397, users: 153 });
    const [row] = await db.sql<{ hidden: number; anonymous: number; empty: number; multiSpace: number }[]>`
      SELECT count(*) FILTER (WHERE c.event = 'hidden')::int AS hidden,
             count(*) FILTER (WHERE c.id_user IS NULL)::int AS anonymous,
             count(*) FILTER (WHERE t.body = '')::int AS empty,
             count(*) FILTER (WHERE t.body LIKE '%on  OSM!%')::int AS "multiSpace"
      FROM note_comments c JOIN note_comments_text t USING (note_id, sequence_action)`;
    expect(row).toEqual({ hidden: 6, anonymous: 77, empty: 125, multiSpace: 1 });
    // Hidden, then reopened and closed: the note ends closed, at its last close.
    const [hiddenThenClosed] = await db.sql`SELECT status, closed_at::text AS closed_at FROM notes WHERE note_id = 233775`;
    expect(hiddenThenClosed).toEqual({ status: "close", closed_at: "2015-09-06 23:35:14" });
    const events = await db.sql`SELECT sequence_action, event, id_user FROM note_comments WHERE note_id = 233775 ORDER BY sequence_action`;
    expect(events.map((e) => [e.sequence_action, e.event, e.id_user])).toEqual([[1, "opened", 7247], [2, "hidden", 355617], [3, "reopened", 355617], [4, "closed", 355617]]);
  });

  test("API answers load too, and loading again adds only what is new", async () => {
    await reset();
    await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/api-notes-search-5.xml")));
    expect(await counts()).toMatchObject({ notes: 5, actions: 9 });
    const second = await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/api-notes-search-20.xml")));
    expect(await counts()).toMatchObject({ notes: 20, actions: 34, texts: 34, users: 18 });
    expect(second).toMatchObject({ notesRead: 20, notesInserted: 15, commentsInserted: 25 });
    const again = await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/api-notes-search-20.xml")));
    expect(again).toMatchObject({ notesInserted: 0, notesUpdated: 0, commentsInserted: 0, textsInserted: 0, usersUpserted: 0 });
  });

  test("gzip and bzip2 dumps are read by their file name", async () => {
    const xml = readFileSync(sharedDataPath("osm-notes/planet-notes-sample-98-edgecases.osn.xml"));
    writeFileSync(join(dir, "dump.osn.gz"), gzipSync(xml));
    copyFileSync(sharedDataPath("osm-notes/planet-notes-sample-98-edgecases.osn.xml"), join(dir, "dump.osn"));
    const bz = spawnSync("bzip2", ["-k", "-f", join(dir, "dump.osn")]);
    expect(bz.status).toBe(0); // bzip2 is needed to make the fixture (.ci/run installs it)
    for (const name of ["dump.osn.gz", "dump.osn.bz2"]) {
      await reset();
      const report = await loadNotesXml(db.sql, openNotesFile(join(dir, name)));
      expect(report).toMatchObject({ notesRead: 98, commentsRead: 397 });
      expect(await counts()).toMatchObject({ notes: 98, actions: 397 });
    }
  });
});

describe("a malformed document changes nothing", () => {
  const cases: Record<string, (xml: string) => string> = {
    truncated: (xml) => xml.slice(0, Math.floor(xml.length * 0.8)),
    "bad attribute": (xml) => xml.replace('<note id="10829" lat="52.9908625"', '<note id="10829" lat="52,99"'),
    "unknown action": (xml) => xml.replace('action="commented"', 'action="deleted"'),
  };
  for (const [what, corrupt] of Object.entries(cases)) {
    test(what, async () => {
      await reset();
      await loadNotesXml(db.sql, openNotesFile(sharedDataPath("osm-notes/api-notes-search-2.xml")));
      const before = await counts();
      const path = join(dir, `bad-${what.replace(/ /g, "-")}.osn`);
      writeFileSync(path, corrupt(readFileSync(sharedDataPath("osm-notes/planet-notes-sample-994.osn.xml"), "utf8")));
      const error = await loadNotesXml(db.sql, openNotesFile(path)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TestkitError);
      expect((error as TestkitError).message).toMatch(/^Malformed notes XML at line \d+: /);
      expect(await counts()).toEqual(before);
      // the connection pool is still usable (no half-open COPY left behind)
      expect((await db.sql`SELECT 1 AS ok`)[0]!.ok).toBe(1);
    });
  }
});

test("a corrupt compressed file fails instead of hanging, and changes nothing", async () => {
  await reset();
  for (const name of ["corrupt.osn.gz", "corrupt.osn.bz2"]) {
    const header = name.endsWith(".gz") ? Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]) : Buffer.from("BZh91AY&SY");
    writeFileSync(join(dir, name), Buffer.concat([header, Buffer.alloc(5000, 7)]));
    const error = await loadNotesXml(db.sql, openNotesFile(join(dir, name))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  }
  expect(await counts()).toMatchObject({ notes: 0, actions: 0 });
});

test("a missing file is a clear error", () => {
  expect(() => openNotesFile(join(dir, "nope.osn.bz2"))).toThrow(/No such file/);
});
