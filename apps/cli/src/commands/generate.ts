import { defineCommand } from "citty";
import * as z from "zod";
import { generate } from "@osm-notes/testkit";
import { runCommand } from "../run-command.ts";

const argsSchema = z.object({
  notes: z.coerce.number().int().positive().max(50_000_000),
  seed: z.coerce.number().int().min(0).max(2 ** 32 - 1),
  replace: z.boolean(),
});

export default defineCommand({
  meta: {
    name: "generate",
    description:
      "Load deterministic, realistic synthetic notes into the base tables (calibrated on real OSM notes). " +
      "The same --notes and --seed always give identical tables.",
  },
  args: {
    notes: { type: "string", description: "How many notes (about 2.9 actions each)", required: true },
    seed: { type: "string", description: "Seed of the generator", default: "1" },
    replace: { type: "boolean", description: "Empty the base tables first (otherwise they must be empty)", default: false },
  },
  run: ({ args }) =>
    runCommand(async ({ db, logger }) => {
      const options = argsSchema.parse(args);
      const report = await generate(db.sql, {
        ...options,
        onProgress: (s) => {
          const rate = s.rows && s.seconds > 0 ? `, ${Math.round(s.rows / s.seconds).toLocaleString("en")} rows/s` : "";
          logger.info(`${s.table}: ${s.rows.toLocaleString("en")} rows in ${s.seconds.toFixed(2)} s${rate}`);
        },
      });
      logger.success(
        `generated ${report.notes.toLocaleString("en")} notes, ${report.actions.toLocaleString("en")} actions, ` +
          `${report.users.toLocaleString("en")} users in ${report.seconds.toFixed(1)} s`,
      );
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
