import { resolve } from "node:path";
import { defineCommand } from "citty";
import * as z from "zod";
import { publish } from "@osm-notes/exporter";
import { readEnv } from "../config.ts";
import { createLogger } from "../logger.ts";

const argsSchema = z.object({
  from: z.string().trim().min(1, "give --from DIR (or set OSMN_EXPORT_DIR)").transform((p) => resolve(p)),
  to: z.string().trim().min(1, "give --to TARGET (or set OSMN_PUBLISH_TARGET)"),
  "dry-run": z.boolean(),
  prefix: z.string().regex(/^(|[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)$/, "a relative path like data or csv/notes-by-country"),
});

export default defineCommand({
  meta: {
    name: "publish",
    description:
      "Publish an export directory as one commit of what changed (no commit when nothing changed). TARGET is " +
      "git:<url-or-path> (any git remote; never force-pushes) or github:<owner>/<repo> (GitHub Git Data API, " +
      "needs GITHUB_TOKEN). --dry-run prints the change set. Prints the report as JSON.",
  },
  args: {
    from: { type: "string", description: "Export directory (default: OSMN_EXPORT_DIR)" },
    to: { type: "string", description: "git:<url-or-path> or github:<owner>/<repo> (default: OSMN_PUBLISH_TARGET)" },
    "dry-run": { type: "boolean", description: "Only compute and print what would change", default: false },
    prefix: { type: "string", description: "Directory in the repository that mirrors the export", default: "data" },
  },
  // No database here: runCommand would open (or start) one, so errors are handled the same way locally.
  run: async ({ args }) => {
    let logger = createLogger("text");
    try {
      const env = readEnv();
      logger = createLogger(env.OSMN_LOG_FORMAT);
      const options = argsSchema.parse({
        from: args.from ?? env.OSMN_EXPORT_DIR ?? "",
        to: args.to ?? env.OSMN_PUBLISH_TARGET ?? "",
        "dry-run": args["dry-run"],
        prefix: args.prefix,
      });
      if (options.to.startsWith("github:") && !env.GITHUB_TOKEN && !options["dry-run"]) {
        throw Object.assign(new Error("publishing to GitHub needs GITHUB_TOKEN"), {
          code: "config_invalid",
          hint: "set GITHUB_TOKEN to a token with contents:write on the repository",
        });
      }
      const report = await publish(options.from, options.to, {
        dryRun: options["dry-run"],
        prefix: options.prefix,
        ...(env.GITHUB_TOKEN ? { token: env.GITHUB_TOKEN } : {}),
      });
      const changes = `${report.added.length} added, ${report.modified.length} modified, ${report.deleted.length} deleted, ${report.unchanged} unchanged`;
      if (report.dryRun) logger.info(`dry run: ${changes}`);
      else if (report.commit) logger.success(`published commit ${report.commit} to ${report.target}: ${changes}`);
      else logger.success(`nothing to publish to ${report.target} (${report.unchanged} files unchanged)`);
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } catch (err) {
      if (err instanceof z.ZodError) {
        logger.error(`Invalid arguments:\n${z.prettifyError(err)}`);
        logger.info("hint: run the command with --help to see what it takes.");
      } else {
        const e = err as { message?: string; code?: string; hint?: string };
        logger.error(`${e.code ? `[${e.code}] ` : ""}${e.message ?? String(err)}`);
        if (e.hint) logger.info(`hint: ${e.hint}`);
        if (process.env.OSMN_DEBUG) logger.error(err);
      }
      process.exitCode = 1;
    }
  },
});
