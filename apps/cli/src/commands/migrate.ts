import { defineCommand } from "citty";
import { migrate } from "@osm-notes/dwh-sql";
import { runCommand } from "../run-command.ts";

export default defineCommand({
  meta: {
    name: "migrate",
    description:
      "Apply the pending data-warehouse migrations (schemas dwh and staging), each in its own transaction, " +
      "under a lock so concurrent runs are safe. Prints the dwh schema version.",
  },
  args: {},
  run: () =>
    runCommand(async ({ db, logger }) => {
      const result = await migrate(db.sql, { logger });
      logger.success(
        result.applied.length
          ? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
          : "nothing to apply: the dwh schema is up to date",
      );
      process.stdout.write(`${result.version}\n`);
    }),
});
