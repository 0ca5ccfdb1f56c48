import { defineCommand } from "citty";
import * as z from "zod";
import {
  checkHealth,
  connectHealthDatabase,
  exitCodeFor,
  thresholdsSchema,
  toJson,
  toPrometheus,
  toText,
  type HealthReport,
} from "@osm-notes/health";
import type { Sql } from "postgres";
import { readEnv } from "../config.ts";
import { openDatabase } from "../database.ts";
import { createLogger } from "../logger.ts";

const RENDER: Record<"text" | "json" | "prometheus", (r: HealthReport) => string> = { text: toText, json: toJson, prometheus: toPrometheus };

const argsSchema = z.object({
  format: z.enum(["text", "json", "prometheus"]).default("text"),
  "export-dir": z.string().min(1).optional(),
  thresholds: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return {};
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(thresholdsSchema),
  validation: z.boolean().default(true),
  "connect-timeout": z.coerce.number().positive().default(5),
});

/** Nagios' UNKNOWN: the command could not judge health (bad arguments or environment). */
const EXIT_UNKNOWN = 3;

export default defineCommand({
  meta: {
    name: "health",
    description:
      "Check the warehouse, the last ETL runs, data and datamart freshness, the validation functions, the export " +
      "directory, disk and replica lag. Exit 0 ok, 1 warning, 2 critical (3 when the arguments are invalid).",
  },
  args: {
    format: { type: "enum", options: ["text", "json", "prometheus"], description: "output on stdout", default: "text" },
    "export-dir": { type: "string", description: "JSON export directory to check (default: OSMN_EXPORT_DIR)" },
    thresholds: { type: "string", description: 'threshold overrides as JSON, e.g. \'{"etlSuccessAgeSeconds":{"warning":3600}}\'' },
    validation: { type: "boolean", description: "run the validation functions (--no-validation skips them)", default: true },
    "connect-timeout": { type: "string", description: "seconds to wait for the database (default 5)" },
  },
  // Not runCommand: an unreachable database must be a critical check with exit 2, not an error
  // with exit 1, and citty's runMain exits 1 on anything thrown — so set exitCode and return.
  async run({ args }) {
    let logger = createLogger("text");
    const pools: Sql<any>[] = [];
    let closeEmbedded: (() => Promise<void>) | undefined;
    try {
      const env = readEnv();
      logger = createLogger(env.OSMN_LOG_FORMAT);
      const parsed = argsSchema.parse(args);
      const exportDir = parsed["export-dir"] ?? env.OSMN_EXPORT_DIR;
      const connectTimeoutSeconds = parsed["connect-timeout"];

      let sql: Sql<any> | undefined;
      let connectError: unknown;
      if (env.DATABASE_URL) {
        sql = connectHealthDatabase(env.DATABASE_URL, { connectTimeoutSeconds });
        pools.push(sql);
      } else {
        try {
          const db = await openDatabase(env, logger);
          sql = db.sql;
          closeEmbedded = () => db.close();
        } catch (err) {
          connectError = err;
        }
      }
      const readSql = env.READ_DATABASE_URL ? connectHealthDatabase(env.READ_DATABASE_URL, { connectTimeoutSeconds }) : undefined;
      if (readSql) pools.push(readSql);

      const report = await checkHealth(sql, {
        thresholds: parsed.thresholds,
        validation: parsed.validation,
        connectTimeoutMs: connectTimeoutSeconds * 1000,
        ...(exportDir ? { exportDir } : {}),
        ...(readSql ? { readSql } : {}),
        ...(connectError === undefined ? {} : { connectError }),
      });
      process.stdout.write(RENDER[parsed.format](report));
      if (parsed.format !== "text") logger.info(`health: ${report.status}`);
      process.exitCode = exitCodeFor(report);
    } catch (err) {
      const e = err as { message?: string; code?: string; hint?: string };
      if (err instanceof z.ZodError) logger.error(`Invalid arguments:\n${z.prettifyError(err)}`);
      else logger.error(`${e.code ? `[${e.code}] ` : ""}${e.message ?? String(err)}`);
      if (e.hint) logger.info(`hint: ${e.hint}`);
      if (process.env.OSMN_DEBUG) logger.error(err);
      process.exitCode = EXIT_UNKNOWN;
    } finally {
      await Promise.all(pools.map((p) => p.end({ timeout: 1 }).catch(() => {})));
      await closeEmbedded?.().catch(() => {});
    }
  },
});
