// Helpers for tree tests: build a consistent export, snapshot a tree byte for byte.
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { TreeDocument } from "../src/index.ts";
import { countryProfilePath, userProfilePath } from "../src/index.ts";
import {
  sampleCountryIndexEntry,
  sampleCountryProfile,
  sampleGlobalStats,
  sampleMetadata,
  sampleUserIndexEntry,
  sampleUserProfile,
} from "./sample-documents.ts";

export interface TreeSpec {
  users: Array<{ id: number; name?: string; opens?: number }>;
  countries: Array<{ id: number; name?: string }>;
}

/** Every document of a consistent tree for spec (indexes, metadata, global stats, profiles). */
export function treeEntries(spec: TreeSpec): TreeDocument[] {
  const entries: TreeDocument[] = [];
  for (const u of spec.users) {
    const doc = sampleUserProfile(u.id, u.name);
    if (u.opens !== undefined) doc.history_whole_open = u.opens;
    entries.push({ path: userProfilePath(u.id), kind: "user-profile", document: doc });
  }
  for (const c of spec.countries) {
    entries.push({ path: countryProfilePath(c.id), kind: "country-profile", document: sampleCountryProfile(c.id, c.name) });
  }
  entries.push(...indexEntries(spec));
  return entries;
}

/** Indexes, metadata and global stats of spec (what an incremental export always rewrites). */
export function indexEntries(spec: TreeSpec): TreeDocument[] {
  return [
    {
      path: "indexes/users.json",
      kind: "user-index",
      document: spec.users.map((u) => ({ ...sampleUserIndexEntry(u.id, u.name), history_whole_open: u.opens ?? 1 })),
    },
    {
      path: "indexes/countries.json",
      kind: "country-index",
      document: spec.countries.map((c) => sampleCountryIndexEntry(c.id, c.name)),
    },
    { path: "metadata.json", kind: "metadata", document: sampleMetadata(spec.users.length, spec.countries.length) },
    { path: "global_stats.json", kind: "global-stats", document: sampleGlobalStats() },
  ];
}

/** path → bytes (as hex-free string) of every file under dir, following the out symlink once. */
export function snapshot(dir: string): Map<string, string> {
  const root = realpathSync(dir);
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, "latin1"));
    }
  };
  walk(root);
  return out;
}

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
