import { defineCommand } from "citty";
import { applyBaseTables, loadNotesXml, markBaseLoadComplete, openNotesFile } from "@osm-notes/testkit";
import { runCommand } from "../run-command.ts";

export default defineCommand({
  meta: {
    name: "load-planet",
    description:
      "Load an OSM planet notes dump (.osn, .osn.gz, .osn.bz2) or an API notes XML into the base tables, " +
      "for use without OSM-Notes-Ingestion. One transaction: a malformed file changes nothing. " +
      "Loading a newer dump adds only what is new. Each note's country is assigned offline from its " +
      "position (country-coder borders; -1 at sea, -2 on land the reference cannot name) and the " +
      "countries table is filled, unless --note-countries gives the ids or --no-assign-countries is set; " +
      "a note already in the table keeps a country it has.",
  },
  args: {
    file: { type: "positional", description: "Notes dump or API answer (XML, optionally .gz/.bz2)", required: true },
    countries: { type: "string", description: "CSV of countries: country_id,country_name,country_name_es,country_name_en" },
    "note-countries": { type: "string", description: "CSV note_id,id_country assigning notes to countries (replaces the offline assignment)" },
    "assign-countries": {
      type: "boolean",
      description: "assign countries offline from each note's position (--no-assign-countries leaves id_country NULL)",
      default: true,
    },
  },
  run: ({ args }) =>
    runCommand(async ({ db, logger }) => {
      await applyBaseTables(db.sql);
      // A note-countries CSV is the caller's own assignment: it replaces the offline one.
      const assignCountries = args["assign-countries"] !== false && !args["note-countries"];
      let last = 0;
      const report = await loadNotesXml(db.sql, openNotesFile(args.file), {
        countriesCsv: args.countries,
        noteCountriesCsv: args["note-countries"],
        assignCountries,
        onProgress: ({ notes, comments }) => {
          if (notes - last >= 100_000) {
            last = notes;
            logger.info(`read ${notes.toLocaleString("en")} notes, ${comments.toLocaleString("en")} actions`);
          }
        },
      });
      await markBaseLoadComplete(db.sql);
      const assigned = report.countryAssignment;
      logger.success(
        `loaded ${args.file} in ${report.seconds.toFixed(1)} s: ${report.notesRead} notes read ` +
          `(${report.notesInserted} new, ${report.notesUpdated} updated), ${report.commentsInserted} new actions, ` +
          `${report.usersUpserted} users upserted` +
          (args.countries || assignCountries ? `, ${report.countriesUpserted} countries upserted` : "") +
          (args["note-countries"] || assignCountries ? `, ${report.notesWithCountry} notes with a country` : "") +
          (assigned
            ? ` (offline assignment of the notes read: ${assigned.country} in a country, ` +
              `${assigned.internationalWaters} at sea (-1), ${assigned.notFound} not found (-2); existing ids kept)`
            : ""),
      );
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
});
