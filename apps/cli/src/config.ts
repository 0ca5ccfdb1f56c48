import * as z from "zod";

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL");

/** Every environment variable the CLI reads, parsed once here: packages never read the environment. */
export const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  INGESTION_DATABASE_URL: postgresUrl.optional(),
  READ_DATABASE_URL: postgresUrl.optional(),
  OSMN_EXPORT_DIR: z.string().min(1).optional(),
  OSMN_PUBLISH_TARGET: z.string().min(1).optional(),
  OSMN_DATA_DIR: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  OSMN_LOG_FORMAT: z.enum(["text", "json"]).default("text"),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** Parses the environment; a bad value is an error naming the variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const blankAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(blankAsUnset);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new ConfigError(`Invalid environment: ${problems}`, "Fix or unset the variables named above.");
}
