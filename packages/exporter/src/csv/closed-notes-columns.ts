/** Header of csv/notes-by-country/*.csv, in the original's order (datamarts-export §9). */
export const CLOSED_NOTES_CSV_COLUMNS = [
  "note_id",
  "country_name",
  "latitude",
  "longitude",
  "opened_at",
  "closed_at",
  "days_to_resolution",
  "opened_by_username",
  "opening_comment",
  "total_comments",
  "was_reopened",
  "closed_by_username",
  "closing_comment",
] as const;

/** One closed note, values in CLOSED_NOTES_CSV_COLUMNS order (times "YYYY-MM-DD HH:MM:SS", UTC). */
export type ClosedNoteCsvRow = readonly [
  note_id: number,
  country_name: string,
  latitude: number,
  longitude: number,
  opened_at: string,
  closed_at: string,
  days_to_resolution: number,
  opened_by_username: string,
  opening_comment: string,
  total_comments: number,
  was_reopened: 0 | 1,
  closed_by_username: string,
  closing_comment: string,
];
