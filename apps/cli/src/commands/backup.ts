import { defineCommand } from "citty";
import * as z from "zod";
import { backup } from "@osm-notes/pipeline";
import { packageLogger } from "../logger.ts";
import { runCommand } from "../run-command.ts";

const argsSchema = z.object({
  out: z.string().min(1),
  "export-dir": z.string().min(1).optional(),
  "no-export": z.boolean().optional(),
});

export default defineCommand({
  meta: {
    name: "backup",
    description:
      "Back up the warehouse (every dwh table as compressed COPY text, one consistent snapshot, with the migration history, " +
      "row counts and checksums in manifest.json) and the JSON export tree, into a new directory. Needs no pg_dump.",
  },
  args: {
    out: { type: "string", description: "Directory to create (must not exist or be empty)", required: true },
    "export-dir": { type: "string", description: "Export tree to include (default: OSMN_EXPORT_DIR)" },
    export: { type: "boolean", description: "Include the export tree (--no-export leaves it out)", default: true },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      const options = argsSchema.parse({ out: args.out, "export-dir": args["export-dir"] });
      const exportDir = args.export === false ? undefined : (options["export-dir"] ?? env.OSMN_EXPORT_DIR);
      const report = await backup(db.sql, {
        outDir: options.out,
        ...(exportDir ? { exportDir } : {}),
        logger: packageLogger(logger, env.OSMN_LOG_FORMAT),
      });
      logger.info(`backup completed successfully in ${report.seconds} seconds: ${report.tables} tables, ${report.rows} rows, ${report.exportFiles} export files in ${report.outDir}`);
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
