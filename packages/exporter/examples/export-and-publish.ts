// Runnable example: `bun packages/exporter/examples/export-and-publish.ts` from the repository
// root. Writes a minimal valid export tree atomically, then publishes it twice to a local bare
// repository (the second publish finds nothing to commit).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataSchemaHash, publish, writeTree, type GlobalStats, type TreeEntry } from "../src/index.ts";

const work = mkdtempSync(join(tmpdir(), "osmn-exporter-example-"));
const out = join(work, "out");
const remote = join(work, "OSM-Notes-Data.git");
spawnSync("git", ["init", "--bare", "--quiet", "--initial-branch=main", remote]);

const now = new Date();
const zero = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
const none = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, null]));
const globalStats = {
  dimension_global_id: 1,
  ...zero(["whole", "year"].flatMap((p) => ["open", "commented", "closed", "closed_with_comment", "reopened"].map((a) => `history_${p}_${a}`))),
  ...zero(["currently_open_count", "currently_closed_count", "notes_created_last_30_days", "notes_resolved_last_30_days", "notes_backlog_size"]),
  ...none(["date_starting_creating_notes", "date_starting_solving_notes", "first_open_note_id", "first_closed_note_id",
    "first_reopened_note_id", "latest_open_note_id", "latest_closed_note_id", "latest_reopened_note_id", "last_year_activity",
    "median_days_to_resolution", "avg_days_to_resolution_current_year", "median_days_to_resolution_current_year",
    "notes_resolved_count", "active_users_count", "notes_age_distribution", "top_countries", "applications_used",
    "most_used_application_id", "mobile_apps_count", "desktop_apps_count", "avg_comment_length", "comments_with_url_pct",
    "comments_with_mention_pct", "avg_comments_per_note"]),
} as GlobalStats; // avg_days_to_resolution / resolution_rate left out: no closed notes yet
const entries: TreeEntry[] = [
  { path: "global_stats.json", kind: "global-stats", document: globalStats },
  { path: "indexes/users.json", kind: "user-index", document: [] },
  { path: "indexes/countries.json", kind: "country-index", document: [] },
  {
    path: "metadata.json",
    kind: "metadata",
    document: {
      export_date: now.toISOString().slice(0, 19) + "Z",
      export_timestamp: Math.floor(now.getTime() / 1000),
      total_users: 0,
      total_countries: 0,
      version: "1.0.0",
      schema_version: "1.0.0",
      api_compat_min: "1.0.0",
      data_schema_hash: dataSchemaHash(),
    },
  },
];

const tree = await writeTree(out, entries); // validated, then swapped in atomically
console.log(`wrote ${tree.written.length} files into ${tree.versionDir}`);
const first = await publish(out, `git:${remote}`, { workDir: join(work, "publish-work") });
console.log(`first publish: commit ${first.commit}, added ${first.added.join(", ")}`);
const second = await publish(out, `git:${remote}`, { workDir: join(work, "publish-work") });
console.log(`second publish: commit ${second.commit ?? "none"} (${second.unchanged} unchanged)`);
rmSync(work, { recursive: true, force: true });
