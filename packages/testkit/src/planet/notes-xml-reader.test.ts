import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { sharedDataPath } from "../shared-data.ts";
import { TestkitError } from "../testkit-error.ts";
import { readNotesXml, type ParsedNote } from "./notes-xml-reader.ts";

async function readAll(xml: string, chunkSize = 4096): Promise<ParsedNote[]> {
  async function* chunks() {
    for (let i = 0; i < xml.length; i += chunkSize) yield xml.slice(i, i + chunkSize);
  }
  const notes: ParsedNote[] = [];
  for await (const batch of readNotesXml(chunks(), 100)) notes.push(...batch);
  return notes;
}

async function failure(xml: string): Promise<TestkitError> {
  try {
    await readAll(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(TestkitError);
    return err as TestkitError;
  }
  throw new Error("expected the document to be rejected");
}

const sample = (name: string) => readFileSync(sharedDataPath(`osm-notes/${name}`), "utf8");

describe("planet dump", () => {
  test("the 994-note sample has 994 notes and 2211 actions, split across chunk borders", async () => {
    const notes = await readAll(sample("planet-notes-sample-994.osn.xml"), 777);
    expect(notes).toHaveLength(994);
    expect(notes.reduce((n, note) => n + note.comments.length, 0)).toBe(2211);
    const first = notes[0]!;
    expect(first).toMatchObject({ id: 10, latitude: "51.7125419", longitude: "8.7460238", createdAt: "2013-04-24 08:18:32", closedAt: "2023-04-20 22:13:52", status: "close" });
    expect(first.comments[0]).toEqual({ sequence: 1, event: "opened", createdAt: "2013-04-24 08:18:32", uid: null, username: null, body: "Baustelle an der Borchener Straße, die zu Sperrungen führt; leider wechselnd, so dass das doof einzutragen ist." });
    expect(first.comments[1]).toMatchObject({ sequence: 2, event: "closed", uid: 64411, username: "jongleur1983", body: "" });
  });

  test("entities are decoded and newlines become spaces (a blank line gives two), ends trimmed", async () => {
    const notes = await readAll(`<osm-notes><note id="1" lat="1" lon="2" created_at="2020-01-01T00:00:00Z">
  <comment action="opened" timestamp="2020-01-01T00:00:00Z" uid="5" user="a &amp; b">  &quot;x&quot; &lt;y&gt;
second

fourth  </comment></note></osm-notes>`);
    expect(notes[0]!.comments[0]).toMatchObject({ username: "a & b", body: '"x" <y> second  fourth' });
  });

  test("the edge-case sample keeps hidden actions and multi-line bodies", async () => {
    const notes = await readAll(sample("planet-notes-sample-98-edgecases.osn.xml"));
    expect(notes).toHaveLength(98);
    const actions = notes.flatMap((n) => n.comments);
    expect(actions).toHaveLength(397);
    expect(actions.filter((a) => a.event === "hidden")).toHaveLength(6);
    expect(actions.filter((a) => a.uid === null)).toHaveLength(77);
    expect(actions.filter((a) => a.body === "")).toHaveLength(125);
    const multiLine = actions.find((a) => a.body.startsWith("So inspiring!"))!;
    expect(multiLine.body).toContain("notes on  OSM! And yes");
    expect(notes.find((n) => n.id === 233775)!.comments.map((c) => c.event)).toEqual(["opened", "hidden", "reopened", "closed"]);
  });

  test("a note with no actions is kept", async () => {
    const notes = await readAll(`<osm-notes><note id="7" lat="0" lon="0" created_at="2020-01-01T00:00:00Z"></note></osm-notes>`);
    expect(notes).toEqual([{ id: 7, latitude: "0", longitude: "0", createdAt: "2020-01-01 00:00:00", closedAt: null, status: "open", comments: [], line: 1 }]);
  });
});

describe("API answer", () => {
  test("20 notes, 34 actions, 'closed' status becomes 'close', UTC dates normalised", async () => {
    const notes = await readAll(sample("api-notes-search-20.xml"));
    expect(notes).toHaveLength(20);
    const actions = notes.flatMap((n) => n.comments);
    expect(actions).toHaveLength(34);
    expect(actions.filter((a) => a.uid === null)).toHaveLength(4);
    expect(new Set(actions.filter((a) => a.uid !== null).map((a) => a.uid)).size).toBe(18);
    expect(notes.filter((n) => n.status === "close")).toHaveLength(9);
    for (const n of notes) expect(n.createdAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(actions.every((a) => !a.body.includes("\n"))).toBe(true);
  });

  test("an empty answer has no notes", async () => {
    expect(await readAll(sample("api-notes-search-0-empty.xml"))).toEqual([]);
  });
});

describe("malformed documents name the line", () => {
  const note = (attrs: string, comment = `<comment action="opened" timestamp="2020-01-01T00:00:00Z"></comment>`) =>
    `<?xml version="1.0"?>\n<osm-notes>\n<note ${attrs}>\n  ${comment}\n</note>\n</osm-notes>\n`;

  test("truncated file", async () => {
    const xml = sample("planet-notes-sample-994.osn.xml");
    const cut = xml.slice(0, xml.indexOf('<note id="10829"') + 40);
    const err = await failure(cut);
    expect(err.code).toBe("planet_malformed");
    expect(err.message).toMatch(/line \d+/);
  });

  test("bad attribute value", async () => {
    const err = await failure(note(`id="12" lat="north" lon="2" created_at="2020-01-01T00:00:00Z"`));
    expect(err.message).toBe(`Malformed notes XML at line 3: attribute lat="north" is not a coordinate between -90 and 90`);
  });

  test("unknown action", async () => {
    const err = await failure(note(`id="12" lat="1" lon="2" created_at="2020-01-01T00:00:00Z"`, `<comment action="deleted" timestamp="2020-01-01T00:00:00Z"></comment>`));
    expect(err.message).toBe(`Malformed notes XML at line 4: unknown note action "deleted"`);
  });

  test("bad timestamp and broken markup", async () => {
    expect((await failure(note(`id="12" lat="1" lon="2" created_at="yesterday"`))).message).toContain("line 3");
    expect((await failure(`<osm-notes>\n<note id="1" lat="1" lon="1" created_at="2020-01-01T00:00:00Z"\n</osm-notes>`)).message).toMatch(/line [23]/);
    expect((await failure(`<gpx></gpx>`)).message).toContain("unexpected root element <gpx>");
  });
});
