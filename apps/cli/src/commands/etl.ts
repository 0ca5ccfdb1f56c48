import { defineCommand } from "citty";
import * as z from "zod";
import { EtlError, runEtl } from "@osm-notes/etl";
import { connect } from "@osm-notes/testkit";
import { packageLogger } from "../logger.ts";
import { runCommand } from "../run-command.ts";

/** EX_TEMPFAIL: another run holds the lock; cron simply tries again next time. */
export const EXIT_LOCKED = 75;

const argsSchema = z.object({
  full: z.boolean(),
  validate: z.boolean().optional(),
  wait: z.coerce.number().min(0).max(86_400),
  "lookback-hours": z.coerce.number().min(0).max(24 * 365 * 50),
});

export default defineCommand({
  meta: {
    name: "etl",
    description:
      "Load the data warehouse from the base tables. The first run (empty facts) loads everything; later runs load only " +
      "the actions after the last watermark. Never runs twice at once: exits 75 when another run holds the lock.",
  },
  args: {
    full: { type: "boolean", description: "Rebuild the facts from scratch", default: false },
    validate: { type: "boolean", description: "Run the validation functions at the end (default: first and full runs)" },
    wait: { type: "string", description: "Seconds to wait for a running ETL before giving up", default: "0" },
    "lookback-hours": { type: "string", description: "Hours before the last watermark where the delta starts", default: "48" },
  },
  run: ({ args }) =>
    runCommand(
      async ({ env, db, logger }) => {
        const options = argsSchema.parse(args);
        const ingestion = env.INGESTION_DATABASE_URL && env.INGESTION_DATABASE_URL !== db.url ? connect(env.INGESTION_DATABASE_URL) : undefined;
        try {
          const report = await runEtl(db.sql, {
            mode: options.full ? "full" : "auto",
            ingestion,
            validate: options.validate,
            lock: { waitMs: options.wait * 1000 },
            lookbackHours: options["lookback-hours"],
            logger: packageLogger(logger, env.OSMN_LOG_FORMAT),
            onProgress: (p) =>
              logger.info(`${p.step}: ${p.rows.toLocaleString("en")} rows in ${p.seconds.toFixed(2)} s` +
                (p.rows && p.seconds > 0 ? ` (${Math.round(p.rows / p.seconds).toLocaleString("en")} rows/s)` : "")),
          });
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } finally {
          await ingestion?.end({ timeout: 5 });
        }
      },
      { exitCodeFor: (err) => (err instanceof EtlError && err.code === "locked" ? EXIT_LOCKED : undefined) },
    ),
});
