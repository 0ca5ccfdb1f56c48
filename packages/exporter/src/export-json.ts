import { currentVersionDir } from "./tree/_swap.ts";
import { readManifestText } from "./tree/manifest.ts";
import type { ManifestText } from "./tree/manifest-text.ts";
import { writeTree, type TreeEntry, type WriteTreeOptions, type WriteTreeReport } from "./tree/write-tree.ts";

/**
 * The seam to the database: what the datamart reader (built elsewhere) provides. In "full" mode
 * every document; in "incremental" mode the profiles whose datamart row changed since it was
 * last exported (updated_at newer than the version exported), deletions for removed entities
 * if it knows them, and always the two indexes, metadata and global stats of the same snapshot
 * (one REPEATABLE READ transaction), so they agree with the profiles in the same swap.
 */
export interface JsonExportSource {
  entries(mode: "full" | "incremental", context?: EntriesContext): AsyncIterable<TreeEntry>;
  /** Called only after the new tree is in place: record what was exported. */
  markExported?(report: WriteTreeReport, mode: "full" | "incremental"): Promise<void>;
}

/** What exportJson knows of the tree an incremental export starts from. */
export interface EntriesContext {
  /** The version directory outDir points at. */
  previousDir?: string;
  /** Its manifest. */
  previousManifest?: ManifestText;
}

/** The version directory outDir points at, and its manifest. */
export interface CurrentTree {
  dir: string;
  manifest: ManifestText;
}

export interface ExportJsonOptions extends Pick<WriteTreeOptions, "validate" | "onProgress" | "progressEvery" | "concurrency" | "twin"> {
  outDir: string;
  /** Rewrite everything (`export json --full`); default: incremental when a previous tree exists. */
  full?: boolean;
  /** The current tree, when the caller has already read it (default: read from outDir). */
  current?: CurrentTree;
}

/** `export json --out DIR [--full]`: writes the tree atomically, then lets the source record it. */
export async function exportJson(source: JsonExportSource, options: ExportJsonOptions): Promise<WriteTreeReport> {
  const { outDir, full, current, ...treeOptions } = options;
  const previous = current?.dir ?? (await currentVersionDir(outDir));
  // Without a previous tree (or its manifest) there is nothing to carry over: full export.
  const previousManifest = current?.manifest ?? (previous === undefined ? undefined : await readManifestText(previous));
  const mode = full === true || previousManifest === undefined ? "full" : "incremental";
  // Handed over: reading and indexing the manifest again costs ≈ 0.05 s at 1 M notes (21 MB).
  const report = await writeTree(outDir, source.entries(mode, { ...(previous !== undefined ? { previousDir: previous } : {}), ...(previousManifest !== undefined ? { previousManifest } : {}) }), { ...treeOptions, mode, ...(previousManifest !== undefined ? { previousManifest } : {}) });
  await source.markExported?.(report, mode);
  return report;
}
