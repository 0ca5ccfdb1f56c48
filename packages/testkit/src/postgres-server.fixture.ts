// Run as a child process by postgres-server.integration.test.ts: starts a cluster, reports
// where it lives, then dies the way the argument says.
import { startPostgres } from "./postgres-server.ts";

const server = await startPostgres({ binDir: process.env.TEST_PG_BIN || undefined });
process.stdout.write(`${JSON.stringify({ dataDir: server.dataDir, port: server.port })}\n`);
if (process.argv[2] === "throw") throw new Error("a failing test run");
if (process.argv[2] === "signal" || process.argv[2] === "kill") {
  setInterval(() => {}, 1000); // wait for SIGTERM or SIGKILL
} else process.exit(0);
