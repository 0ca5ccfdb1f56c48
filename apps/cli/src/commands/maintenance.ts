import { defineCommand } from "citty";
import * as z from "zod";
import { maintenance, PipelineError } from "@osm-notes/pipeline";
import { packageLogger } from "../logger.ts";
import { runCommand } from "../run-command.ts";

/** EX_TEMPFAIL: a pipeline run held the lock for the whole wait; cron tries again next week. */
const EXIT_LOCKED = 75;

const argsSchema = z.object({
  "retention-days": z.coerce.number().int().min(0).max(36_500),
  "quarantine-retention-days": z.coerce.number().int().min(0).max(36_500),
  all: z.boolean(),
  vacuum: z.boolean(),
  prune: z.boolean(),
  wait: z.coerce.number().min(0).max(86_400),
});

export default defineCommand({
  meta: {
    name: "maintenance",
    description:
      "Weekly upkeep under the pipeline lock: prune ETL/pipeline run records and resolved quarantine rows older than the " +
      "retention, VACUUM (ANALYZE) the dwh tables with dead or changed rows, ANALYZE the partitioned parents.",
  },
  args: {
    "retention-days": { type: "string", description: "Days of run records to keep", default: "90" },
    "quarantine-retention-days": { type: "string", description: "Days to keep resolved quarantine rows", default: "90" },
    all: { type: "boolean", description: "VACUUM every dwh table, not only changed ones", default: false },
    vacuum: { type: "boolean", description: "--no-vacuum: prune only", default: true },
    prune: { type: "boolean", description: "--no-prune: VACUUM/ANALYZE only", default: true },
    wait: { type: "string", description: "Seconds to wait for a running pipeline", default: "900" },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      const o = argsSchema.parse(args);
      try {
        const report = await maintenance(db.sql, {
          runRetentionDays: o["retention-days"],
          quarantineRetentionDays: o["quarantine-retention-days"],
          all: o.all,
          vacuum: o.vacuum,
          prune: o.prune,
          lockWaitMs: o.wait * 1000,
          logger: packageLogger(logger, env.OSMN_LOG_FORMAT),
        });
        logger.info(`maintenance completed successfully in ${report.seconds} seconds: ${report.vacuumed.length} tables vacuumed`);
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } catch (err) {
        // A pipeline run held the lock for the whole wait: skipped (75), a warning, not an error.
        if (!(err instanceof PipelineError && err.code === "locked")) throw err;
        logger.warn(`Maintenance skipped: ${err.message}`);
        process.exitCode = EXIT_LOCKED;
      }
    }),
});
