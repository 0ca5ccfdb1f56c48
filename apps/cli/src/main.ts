#!/usr/bin/env bun
import { defineCommand, runMain } from "citty";

process.env.TZ = "UTC"; // timestamps in the dwh hold UTC wall-clock (design: Database)

const main = defineCommand({
  meta: {
    name: "osm-notes-analytics",
    version: "0.1.0",
    description: "OpenStreetMap notes analytics: base tables → data warehouse → datamarts → JSON for the Viewer.",
  },
  subCommands: {
    generate: () => import("./commands/generate.ts").then((m) => m.default),
    "load-planet": () => import("./commands/load-planet.ts").then((m) => m.default),
    bench: () => import("./commands/bench.ts").then((m) => m.default),
    migrate: () => import("./commands/migrate.ts").then((m) => m.default),
    etl: () => import("./commands/etl.ts").then((m) => m.default),
    datamarts: () => import("./commands/datamarts.ts").then((m) => m.default),
    profile: () => import("./commands/profile.ts").then((m) => m.default),
    export: () => import("./commands/export.ts").then((m) => m.default),
    publish: () => import("./commands/publish.ts").then((m) => m.default),
    health: () => import("./commands/health.ts").then((m) => m.default),
    run: () => import("./commands/run.ts").then((m) => m.default),
    demo: () => import("./commands/demo.ts").then((m) => m.default),
    backup: () => import("./commands/backup.ts").then((m) => m.default),
    restore: () => import("./commands/restore.ts").then((m) => m.default),
    maintenance: () => import("./commands/maintenance.ts").then((m) => m.default),
  },
});

await runMain(main);
