import { defineCommand } from "citty";
import * as z from "zod";
import { restore } from "@osm-notes/pipeline";
import { packageLogger } from "../logger.ts";
import { runCommand } from "../run-command.ts";

const argsSchema = z.object({
  from: z.string().min(1),
  "export-dir": z.string().min(1).optional(),
});

export default defineCommand({
  meta: {
    name: "restore",
    description:
      "Restore a `backup` directory into a database whose warehouse is empty (a new createdb): migrate to the backup's " +
      "schema, load every table in one transaction (checksums checked), migrate forward; optionally put the export tree back.",
  },
  args: {
    from: { type: "string", description: "Backup directory (written by `backup`)", required: true },
    "export-dir": { type: "string", description: "Where to restore the export tree (must not exist; default: none)" },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      const options = argsSchema.parse(args);
      const report = await restore(db.sql, {
        from: options.from,
        ...(options["export-dir"] ? { exportDir: options["export-dir"] } : {}),
        logger: packageLogger(logger, env.OSMN_LOG_FORMAT),
      });
      logger.info(`restore completed successfully in ${report.seconds} seconds: ${report.tables} tables, ${report.rows} rows`);
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
