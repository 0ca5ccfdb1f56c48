import { defineCommand } from "citty";
import * as z from "zod";
import { buildDatamarts } from "@osm-notes/datamarts";
import { runCommand } from "../run-command.ts";

const argsSchema = z.object({
  all: z.boolean(),
  only: z.enum(["users", "countries", "global"]).optional(),
});

export default defineCommand({
  meta: {
    name: "datamarts",
    description:
      "Rebuild the user, country and global datamarts: by default only the users and countries the ETL runs " +
      "since the last build touched (plus global, and once a day the time-relative fields of every row); " +
      "--all rebuilds everything. One transaction: a failed build changes nothing. Prints the report as JSON.",
  },
  args: {
    all: { type: "boolean", description: "Rebuild every user and country, not only the touched ones", default: false },
    only: { type: "string", description: "Build only one datamart: users, countries or global" },
  },
  run: ({ args }) =>
    runCommand(async ({ db, logger }) => {
      const { all, only } = argsSchema.parse({ all: args.all, only: args.only });
      const report = await buildDatamarts(db.sql, {
        scope: all ? "all" : "touched",
        ...(only ? { only } : {}),
        // Steps of a second or more are progress an operator wants to see on a long build; the
        // many short ones only with debug logging.
        onProgress: (p) => {
          const part = p.shard === undefined ? "" : ` (part ${p.shard + 1} of 2)`;
          const line = `${p.datamart}${part} ${p.step}: ${p.rows.toLocaleString("en")} rows in ${p.seconds.toFixed(2)} s`;
          if (p.seconds >= 1) logger.info(line);
          else logger.debug(line);
        },
      });
      for (const d of report.datamarts) {
        logger.success(
          `${d.datamart} (${d.scope}): ${d.entities.toLocaleString("en")} entities recomputed, ${d.rowsWritten.toLocaleString("en")} rows ` +
            `changed, ${d.rowsDeleted} deleted, ${d.timeRelativeRows.toLocaleString("en")} time-relative updates in ${d.seconds.toFixed(1)} s`,
        );
      }
      logger.success(`datamarts took ${report.seconds.toFixed(1)} seconds`);
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
