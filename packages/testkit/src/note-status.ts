import type { NoteEvent } from "./planet/notes-xml-reader.ts";

export type NoteStatus = "open" | "close" | "hidden";

/**
 * Status and closed_at of a note after its actions, as Ingestion's update_note trigger leaves
 * them: it replays every action on top of the starting status. From open: closed → close,
 * hidden → hidden (closed_at = action time). From close/hidden: reopened → open (closed_at
 * NULL), hidden → hidden. Anything else is ignored (double closes are real data).
 */
export function replayNoteStatus(
  start: { status: NoteStatus; closedAt: string | null },
  actions: Iterable<{ event: NoteEvent; createdAt: string }>,
): { status: NoteStatus; closedAt: string | null } {
  let { status, closedAt } = start;
  for (const a of actions) {
    if (status === "open") {
      if (a.event === "closed" || a.event === "hidden") {
        status = a.event === "closed" ? "close" : "hidden";
        closedAt = a.createdAt;
      }
    } else if (a.event === "reopened") {
      status = "open";
      closedAt = null;
    } else if (a.event === "hidden") {
      status = "hidden";
      closedAt = a.createdAt;
    }
  }
  return { status, closedAt };
}
