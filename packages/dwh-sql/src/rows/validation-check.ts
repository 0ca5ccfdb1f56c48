import * as z from "zod";
import { bigintNumber } from "./_pg-types.ts";

/**
 * A row of dwh.validate_note_current_status(), dwh.validate_comment_counts() and
 * dwh.validate_dwh_integrity(). Monitoring greps `MON-00x … PASS|FAIL … N issues`.
 */
export const validationCheckRow = z.object({
  check_name: z.string(),
  status: z.enum(["PASS", "FAIL", "SKIP"]),
  issue_count: bigintNumber,
  details: z.string().nullable(),
});
export type ValidationCheckRow = z.infer<typeof validationCheckRow>;
