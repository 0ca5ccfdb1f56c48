import * as z from "zod";

// Column types as postgres.js (and node-postgres) return them, parsed to what code wants:
// int8 and numeric arrive as strings → numbers; date/timestamp arrive as Date (read them with
// TZ=UTC: the columns hold UTC wall-clock); jsonb arrives parsed.
export const int = z.int();
export const bigintNumber = z.coerce.number().int();
export const numeric = z.coerce.number();
export const date = z.coerce.date();
export const timestamp = z.coerce.date();
export const noteEvent = z.enum(["opened", "closed", "commented", "reopened", "hidden"]);
