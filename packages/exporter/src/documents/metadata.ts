import * as z from "zod";
import { count } from "./_fields.ts";

const version = z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d+\.\d+\.\d+)$/);

/** metadata.json. The Viewer reads export_date, total_users, total_countries. */
export const metadata = z.strictObject({
  export_date: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  /** Unix epoch seconds of export_date. */
  export_timestamp: z.int().min(0),
  total_users: count,
  total_countries: count,
  version,
  schema_version: version,
  api_compat_min: version,
  /** sha256 hex of the exported document schemas: consumers compare it for equality only. */
  data_schema_hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Metadata = z.output<typeof metadata>;
