// Runnable example: `bun packages/exporter/examples/export-and-publish.ts` from the repository
// root. Writes a minimal valid export tree atomically, then publishes it twice to a local bare
// repository (the second publish finds nothing to commit).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataSchemaHash, publish, writeTree, type TreeEntry } from "../src/index.ts";

const work = mkdtempSync(join(tmpdir(), "osmn-exporter-example-"));
const out = join(work, "out");
const remote = join(work, "OSM-Notes-Data.git");
spawnSync("git", ["init", "--bare", "--quiet", "--initial-branch=main", remote]);

const now = new Date();
const entries: TreeEntry[] = [
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
