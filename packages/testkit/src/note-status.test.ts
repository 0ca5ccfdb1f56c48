import { expect, test } from "bun:test";
import { replayNoteStatus } from "./note-status.ts";
import type { NoteEvent } from "./planet/notes-xml-reader.ts";

const actions = (...events: NoteEvent[]) => events.map((event, i) => ({ event, createdAt: `2020-01-0${i + 1} 00:00:00` }));
const open = { status: "open" as const, closedAt: null };

test("replays Ingestion's update_note trigger", () => {
  expect(replayNoteStatus(open, actions("opened", "closed"))).toEqual({ status: "close", closedAt: "2020-01-02 00:00:00" });
  expect(replayNoteStatus(open, actions("opened", "closed", "reopened"))).toEqual({ status: "open", closedAt: null });
  // a double close is ignored: closed_at stays at the first close
  expect(replayNoteStatus(open, actions("opened", "closed", "closed"))).toEqual({ status: "close", closedAt: "2020-01-02 00:00:00" });
  // reopening an open note is ignored
  expect(replayNoteStatus(open, actions("opened", "reopened"))).toEqual(open);
  expect(replayNoteStatus(open, actions("opened", "closed", "hidden"))).toEqual({ status: "hidden", closedAt: "2020-01-03 00:00:00" });
  expect(replayNoteStatus(open, actions("opened", "hidden", "reopened", "closed"))).toEqual({ status: "close", closedAt: "2020-01-04 00:00:00" });
  // the dump's own status is the starting point
  expect(replayNoteStatus({ status: "close", closedAt: "2019-01-01 00:00:00" }, actions("opened"))).toEqual({ status: "close", closedAt: "2019-01-01 00:00:00" });
});
