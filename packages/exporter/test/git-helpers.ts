// Real git for publisher tests: temp repositories, synchronous commands with explicit args.
import { spawnSync } from "node:child_process";

export function gitSync(cwd: string, args: string[], input?: string): string {
  const r = spawnSync("git", args, {
    cwd,
    input,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Other",
      GIT_AUTHOR_EMAIL: "other@example.org",
      GIT_COMMITTER_NAME: "Other",
      GIT_COMMITTER_EMAIL: "other@example.org",
      GIT_CONFIG_NOSYSTEM: "1",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Repository paths of the files in ref of the repository at dir. */
export function filesAt(dir: string, ref = "main"): string[] {
  return gitSync(dir, ["ls-tree", "-r", "--name-only", "--full-tree", ref]).split("\n").filter(Boolean).sort();
}

/** Paths changed by commit ref (against its first parent). */
export function touchedBy(dir: string, ref = "main"): string[] {
  return gitSync(dir, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", ref]).split("\n").filter(Boolean).sort();
}

export function commitCount(dir: string, ref = "main"): number {
  return Number(gitSync(dir, ["rev-list", "--count", ref]).trim());
}
