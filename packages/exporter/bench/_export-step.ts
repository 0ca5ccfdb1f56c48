// One export step of the benchmark in its own process, so its peak RSS is the export's own:
//   bun _export-step.ts <database-url> <out-dir> json-full|json-incremental|csv <asOf ISO>
// Prints one JSON line: the report, documents/s and maxRSS (MiB).
import { connect } from "@osm-notes/testkit";
import { exportClosedNotesCsv, exportJsonFromDatabase } from "../src/index.ts";

const [url, outDir, step, asOfText] = process.argv.slice(2);
if (!url || !outDir || !step || !asOfText) throw new Error("usage: _export-step.ts <url> <out> <step> <asOf>");
const sql = connect(url, { max: 2 });
const started = performance.now();
try {
  if (step === "csv") {
    const r = await exportClosedNotesCsv(sql, { outDir });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ step, files: r.files.length, rows: r.rows, mib: +(r.bytes / 1048576).toFixed(1), seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(r.rows / seconds), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  } else {
    const r = await exportJsonFromDatabase(sql, { outDir, full: step === "json-full", asOf: new Date(asOfText) });
    const seconds = (performance.now() - started) / 1000;
    const { outDir: _o, versionDir: _v, ...rest } = r;
    console.log(JSON.stringify({ step, ...rest, seconds: +seconds.toFixed(2), documentsPerSecond: Math.round(r.documents / seconds), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  }
} finally {
  await sql.end({ timeout: 5 });
}
