// Run as a child process by the lock and kill tests: one ETL run on the database named by
// argv[2] (argv[3]: lock wait in ms), progress on stdout (one line per finished step), exit 75
// when locked. argv[4]: a step after which the run stops dead (a synchronous sleep inside the
// progress callback), so the test's SIGKILL lands exactly there instead of racing the run.
import { connect } from "@osm-notes/testkit";
import { EtlError } from "./etl-error.ts";
import { runEtl } from "./run-etl.ts";

const sql = connect(process.argv[2]!, { max: 4 });
try {
  const report = await runEtl(sql, {
    lock: { waitMs: Number(process.argv[3] ?? 0) },
    onProgress: (p) => {
      process.stdout.write(`step ${p.step}\n`);
      if (p.step === process.argv[4]) Bun.sleepSync(60_000);
    },
  });
  process.stdout.write(`done ${report.factsInserted}\n`);
  await sql.end();
} catch (err) {
  process.stdout.write(`error ${(err as Error).message}\n`);
  process.exit(err instanceof EtlError && err.code === "locked" ? 75 : 1);
}
