// DATABASE_URL=postgres://user@localhost/notes_dwh bun example.ts
// (a migrated dwh, base tables loaded: e.g. `bun run cli migrate && bun run cli generate --notes 10000`)
import postgres from "postgres";
import { PipelineError, runPipeline } from "@osm-notes/pipeline";

// onnotice: the datamart build's "does not exist, skipping" notices would go to stdout.
const sql = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {}, connection: { TimeZone: "UTC" } });
try {
  const report = await runPipeline(sql, {
    exportDir: "/tmp/osm-notes-json", // the Viewer's tree; omit to stop after the datamarts
    // publishTarget: "git:/srv/osm-notes-data.git",
    logger: { info: (m) => console.error(m), warn: (m) => console.error(m) },
  });
  console.log(report.summary); // Pipeline completed successfully in … seconds (run N); ETL incremental: …
  console.log(report.etl.mode, report.etl.factsInserted, report.datamarts.entities, report.export?.written);
} catch (err) {
  if (err instanceof PipelineError && err.code === "locked") console.error("another run is busy: skipped");
  else throw err;
} finally {
  await sql.end();
}
