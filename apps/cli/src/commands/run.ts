import { defineCommand } from "citty";
import * as z from "zod";
import { PipelineError, runPipeline } from "@osm-notes/pipeline";
import { connect, type Sql } from "@osm-notes/testkit";
import { packageLogger } from "../logger.ts";
import { runCommand } from "../run-command.ts";

/** EX_TEMPFAIL: another run holds the lock; cron simply tries again next time. */
const EXIT_LOCKED = 75;

const argsSchema = z.object({
  full: z.boolean(),
  wait: z.coerce.number().min(0).max(86_400),
});

export default defineCommand({
  meta: {
    name: "run",
    description:
      "The cron pipeline: lock → ETL → datamarts of the touched entities → JSON export to OSMN_EXPORT_DIR → publish to " +
      "OSMN_PUBLISH_TARGET → run record. Prints the run's summary as JSON. Exit 0 ok, 1 failed, 75 skipped (another run holds the lock).",
  },
  args: {
    full: { type: "boolean", description: "Datamarts of every entity and a full export (daily)", default: false },
    wait: { type: "string", description: "Seconds to wait for a running pipeline before giving up", default: "0" },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      const options = argsSchema.parse(args);
      const extra: Sql[] = [];
      const open = (url: string | undefined) => {
        if (!url || url === db.url) return undefined;
        const sql = connect(url);
        extra.push(sql);
        return sql;
      };
      try {
        const report = await runPipeline(db.sql, {
          full: options.full,
          lockWaitMs: options.wait * 1000,
          ingestion: open(env.INGESTION_DATABASE_URL),
          readSql: open(env.READ_DATABASE_URL),
          ...(env.OSMN_EXPORT_DIR ? { exportDir: env.OSMN_EXPORT_DIR } : {}),
          ...(env.OSMN_PUBLISH_TARGET ? { publishTarget: env.OSMN_PUBLISH_TARGET } : {}),
          ...(env.GITHUB_TOKEN ? { githubToken: env.GITHUB_TOKEN } : {}),
          logger: packageLogger(logger, env.OSMN_LOG_FORMAT),
          onProgress: (p) => logger.debug(`${p.step} ${p.detail}: ${p.rows} rows in ${p.seconds.toFixed(2)} s`),
        });
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } catch (err) {
        // A skip is the normal outcome of an overlapping cron start: a warning, not an error
        // line (log watchers alert on "error"), and exit 75.
        if (!(err instanceof PipelineError && err.code === "locked")) throw err;
        logger.warn(`Pipeline skipped: ${err.message}`);
        process.exitCode = EXIT_LOCKED;
      } finally {
        await Promise.all(extra.map((s) => s.end({ timeout: 5 })));
      }
    }),
});
