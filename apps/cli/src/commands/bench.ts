import { defineCommand } from "citty";
import * as z from "zod";
import { BENCH_STAGES, formatTable, runBench } from "@osm-notes/bench";
import { createLogger } from "../logger.ts";
import { readEnv } from "../config.ts";

const argsSchema = z.object({
  scales: z.string().transform((s, ctx) => {
    const scales = s.split(",").map((x) => Number(x.trim().replace(/_/g, "")));
    if (scales.some((n) => !Number.isInteger(n) || n < 1)) ctx.addIssue({ code: "custom", message: "scales are positive integers, comma-separated" });
    return scales;
  }),
  stages: z.string().optional().transform((s) => (s ? s.split(",").map((x) => x.trim()) : undefined)).pipe(z.array(z.enum(BENCH_STAGES)).optional()),
  seed: z.coerce.number().int().min(0),
  "pg-bin": z.string().optional(),
});

export default defineCommand({
  meta: {
    name: "bench",
    description:
      "Benchmark suite on a throw-away PostgreSQL cluster (never your data): generates realistic notes at each scale, " +
      "runs each stage and prints step, rows, seconds, rows/s, peak RSS of this process and the database size.",
  },
  args: {
    scales: { type: "string", description: "Notes per scale, comma-separated (planet ≈ 5000000)", default: "10000,100000,1000000" },
    stages: { type: "string", description: `Stages to run (default all): ${BENCH_STAGES.join(",")}` },
    seed: { type: "string", description: "Generator seed", default: "1" },
    "pg-bin": { type: "string", description: "PostgreSQL bin directory (default: the embedded server), e.g. /usr/lib/postgresql/15/bin" },
  },
  async run({ args }) {
    const logger = createLogger(readEnv().OSMN_LOG_FORMAT);
    const options = argsSchema.parse(args);
    const report = await runBench({
      scales: options.scales,
      stages: options.stages,
      seed: options.seed,
      pgBin: options["pg-bin"],
      onInfo: (message) => logger.info(message),
      onResult: (r) => logger.info(`${r.scale.toLocaleString("en")} notes · ${r.step}: ${r.rows.toLocaleString("en")} rows in ${r.seconds.toFixed(2)} s (${Math.round(r.rowsPerSecond).toLocaleString("en")} rows/s), peak RSS ${r.peakRssMb} MB`),
    });
    process.stdout.write(`Machine: ${report.machine}; ${report.server}\n\n${formatTable(report.results)}\n`);
  },
});
