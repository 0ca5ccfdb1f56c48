import * as z from "zod";
import { int, noteEvent, timestamp } from "./_pg-types.ts";

/** dwh.note_current_status: one row per note, open or closed now. */
export const noteCurrentStatusRow = z.object({
  id_note: int,
  dimension_id_country: int,
  opened_dimension_id_user: int.nullable(),
  opened_dimension_id_date: int.nullable(),
  is_currently_open: z.boolean(),
  last_action_at: timestamp,
  last_action_type: noteEvent,
  last_updated: timestamp.nullable(),
  /** The note's opening action (migration 0040); null when it has none. */
  opened_at: timestamp.nullable(),
  /** sequence_action of its first comment; null when it has none. */
  first_comment_seq: int.nullable(),
  /** sequence_action of its last reopening; null when it has none. */
  last_reopen_seq: int.nullable(),
});
export type NoteCurrentStatusRow = z.infer<typeof noteCurrentStatusRow>;
