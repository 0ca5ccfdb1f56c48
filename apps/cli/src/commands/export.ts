import { dirname, join, resolve } from "node:path";
import { defineCommand } from "citty";
import * as z from "zod";
import { exportClosedNotesCsv, exportJsonFromDatabase } from "@osm-notes/exporter";
import { connect } from "@osm-notes/testkit";
import { runCommand } from "../run-command.ts";

const outDir = z.string().trim().min(1, "give --out DIR (or set OSMN_EXPORT_DIR)").transform((p) => resolve(p));
const jsonArgs = z.object({ out: outDir, full: z.boolean() });
const csvArgs = z.object({ out: outDir, "max-per-country": z.coerce.number().int().positive().max(10_000_000) });

const json = defineCommand({
  meta: {
    name: "json",
    description:
      "Write the Viewer's JSON tree (metadata, indexes, global stats, one profile per user and country) into DIR, " +
      "every document validated against the JSON Schemas, swapped in atomically (DIR is a symlink to the current " +
      "version). Only profiles whose datamart row changed since the last export unless --full. Prints the report as JSON.",
  },
  args: {
    out: { type: "string", description: "Output directory (default: OSMN_EXPORT_DIR)" },
    full: { type: "boolean", description: "Rewrite every document, not only the changed ones", default: false },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      const options = jsonArgs.parse({ out: args.out ?? env.OSMN_EXPORT_DIR ?? "", full: args.full });
      // A replica serves the reads; the pending queue and the export state are written on the primary.
      const replica = env.READ_DATABASE_URL && env.READ_DATABASE_URL !== db.url ? connect(env.READ_DATABASE_URL) : undefined;
      try {
        const report = await exportJsonFromDatabase(replica ?? db.sql, {
          outDir: options.out,
          full: options.full,
          writeSql: db.sql,
          onProgress: (n) => logger.info(`${n.toLocaleString("en")} documents`),
          progressEvery: 10_000,
        });
        logger.success(
          `${report.mode} JSON export: ${report.written.toLocaleString("en")} files written, ${report.unchanged.toLocaleString("en")} ` +
            `unchanged, ${report.carried.toLocaleString("en")} carried over, ${report.deleted} deleted ` +
            `(${report.users.toLocaleString("en")} users, ${report.countries} countries) in ${report.seconds.toFixed(1)} s` +
            (report.fullReason ? ` — full because ${report.fullReason}` : "") +
            (report.base === "linked" ? " — the whole tree was linked into a new version (the next incremental export reuses it)" : ""),
        );
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } finally {
        await replica?.end({ timeout: 5 });
      }
    }),
});

const csv = defineCommand({
  meta: {
    name: "csv",
    description:
      "Write the closed notes of each country as one CSV file (13 columns, RFC 4180, UTF-8), <country_id>_<slug>.csv, " +
      "into DIR, replaced atomically. Needs the base tables in the dwh database. Prints the report as JSON.",
  },
  args: {
    out: { type: "string", description: "Output directory (default: csv/notes-by-country beside OSMN_EXPORT_DIR)" },
    "max-per-country": { type: "string", description: "Most recent closes kept per country", default: "400000" },
  },
  run: ({ args }) =>
    runCommand(async ({ env, db, logger }) => {
      // OSM-Notes-Data layout: data/ (the JSON tree) and csv/notes-by-country/ side by side.
      const fallback = env.OSMN_EXPORT_DIR ? join(dirname(resolve(env.OSMN_EXPORT_DIR)), "csv", "notes-by-country") : "";
      const options = csvArgs.parse({ out: args.out ?? fallback, "max-per-country": args["max-per-country"] });
      const report = await exportClosedNotesCsv(db.sql, {
        outDir: options.out,
        maxRowsPerCountry: options["max-per-country"],
        onCountry: (f) => logger.info(`${f.file}: ${f.rows.toLocaleString("en")} notes`),
      });
      logger.success(
        `CSV export: ${report.files.length} countries, ${report.rows.toLocaleString("en")} closed notes, ` +
          `${(report.bytes / 1048576).toFixed(1)} MiB in ${report.seconds.toFixed(1)} s`,
      );
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});

export default defineCommand({
  meta: { name: "export", description: "Export the datamarts: `export json --out DIR [--full]`, `export csv --out DIR`." },
  subCommands: { json, csv },
});
