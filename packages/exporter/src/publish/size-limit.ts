import { ExporterError } from "../exporter-error.ts";
import type { ChangeSet } from "./change-set.ts";
import type { LocalFile } from "./local-files.ts";

export const MiB = 1024 * 1024;

/** Refuses, before any upload, every file to add or modify that is larger than limit. */
export function refuseLargeFiles(
  local: Map<string, LocalFile>,
  changes: ChangeSet,
  prefix: string,
  limit: number,
): void {
  const strip = (p: string) => (prefix === "" ? p : p.slice(prefix.length + 1));
  const tooLarge = [...changes.added, ...changes.modified]
    .map((p) => ({ path: p, size: local.get(strip(p))?.size ?? 0 }))
    .filter((f) => f.size > limit);
  if (tooLarge.length === 0) return;
  throw new ExporterError(
    "file_too_large",
    `${tooLarge.length} file(s) over ${(limit / MiB).toFixed(0)} MiB: ${tooLarge
      .map((f) => `${f.path} (${(f.size / MiB).toFixed(1)} MiB)`)
      .join(", ")}`,
    "split the file (e.g. CSV parts) or raise maxFileBytes if the remote accepts it; nothing was uploaded",
    undefined,
    tooLarge,
  );
}
