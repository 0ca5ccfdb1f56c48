import { defineCommand } from "citty";
import { applyBaseTables, loadNotesXml, markBaseLoadComplete, openNotesFile } from "@osm-notes/testkit";
import { runCommand } from "../run-command.ts";

export default defineCommand({
  meta: {
    name: "load-planet",
    description:
      "Load an OSM planet notes dump (.osn, .osn.gz, .osn.bz2) or an API notes XML into the base tables, " +
      "for use without OSM-Notes-Ingestion. One transaction: a malformed file changes nothing. " +
      "Loading a newer dump adds only what is new.",
  },
  args: {
    file: { type: "positional", description: "Notes dump or API answer (XML, optionally .gz/.bz2)", required: true },
    countries: { type: "string", description: "CSV of countries: country_id,country_name,country_name_es,country_name_en" },
    "note-countries": { type: "string", description: "CSV note_id,id_country assigning notes to countries" },
  },
  run: ({ args }) =>
    runCommand(async ({ db, logger }) => {
      await applyBaseTables(db.sql);
      let last = 0;
      const report = await loadNotesXml(db.sql, openNotesFile(args.file), {
        countriesCsv: args.countries,
        noteCountriesCsv: args["note-countries"],
        onProgress: ({ notes, comments }) => {
          if (notes - last >= 100_000) {
            last = notes;
            logger.info(`read ${notes.toLocaleString("en")} notes, ${comments.toLocaleString("en")} actions`);
          }
        },
      });
      await markBaseLoadComplete(db.sql);
      logger.success(
        `loaded ${args.file} in ${report.seconds.toFixed(1)} s: ${report.notesRead} notes read ` +
          `(${report.notesInserted} new, ${report.notesUpdated} updated), ${report.commentsInserted} new actions, ` +
          `${report.usersUpserted} users upserted` +
          (args.countries ? `, ${report.countriesUpserted} countries` : "") +
          (args["note-countries"] ? `, ${report.notesWithCountry} notes with a country` : ""),
      );
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
