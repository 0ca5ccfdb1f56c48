import { spawnSync } from "node:child_process";

/**
 * rm -rf for test cleanup. Bun's rmSync(dir, { recursive, force }) leaves dangling symlinks
 * (the `out` link once its version directory is gone) and then the directory itself, silently.
 */
export function removeDir(dir: string): void {
  spawnSync("rm", ["-rf", "--", dir]);
}
