// Run as a child process by the lock and kill tests: one ETL run on the database named by
// argv[2], progress on stdout (one line per finished step), exit 75 when locked.
import { connect } from "@osm-notes/testkit";
import { EtlError } from "./etl-error.ts";
import { runEtl } from "./run-etl.ts";

const sql = connect(process.argv[2]!, { max: 4 });
try {
  const report = await runEtl(sql, {
    lock: { waitMs: Number(process.argv[3] ?? 0) },
    onProgress: (p) => process.stdout.write(`step ${p.step}\n`),
  });
  process.stdout.write(`done ${report.factsInserted}\n`);
  await sql.end();
} catch (err) {
  process.stdout.write(`error ${(err as Error).message}\n`);
  process.exit(err instanceof EtlError && err.code === "locked" ? 75 : 1);
}
