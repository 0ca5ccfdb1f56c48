export { runBench, BENCH_STAGES, type BenchOptions, type BenchReport, type BenchStage } from "./run-bench.ts";
export { formatTable, peakRssMb, type BenchResult } from "./measure.ts";
