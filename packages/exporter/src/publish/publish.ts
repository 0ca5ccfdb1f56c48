import { ExporterError } from "../exporter-error.ts";
import { publishToGit } from "./git-publisher.ts";
import { publishToGitHub } from "./github-publisher.ts";
import type { PublishOptions, PublishReport } from "./publish-options.ts";

export type PublishTarget = { kind: "git"; remote: string } | { kind: "github"; owner: string; repo: string };

// GitHub owner: letters, digits, single hyphens; repository: letters, digits, . _ -.
const GITHUB = /^github:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

/** Parses `git:<url-or-path>` or `github:<owner>/<repo>`. */
export function parsePublishTarget(target: string): PublishTarget {
  if (target.startsWith("git:")) {
    const remote = target.slice("git:".length);
    if (remote.trim() === "" || remote.startsWith("-")) {
      throw new ExporterError("invalid_target", `empty or option-like git remote in "${target}"`, "use git:<url-or-path>");
    }
    return { kind: "git", remote };
  }
  const gh = GITHUB.exec(target);
  if (gh !== null && gh[2] !== "." && gh[2] !== "..") return { kind: "github", owner: gh[1]!, repo: gh[2]! };
  throw new ExporterError(
    "invalid_target",
    `unknown publish target "${target}"`,
    "use git:<url-or-path> (any git remote) or github:<owner>/<repo> (GitHub API, needs a token)",
  );
}

/**
 * Publishes the export tree at fromDir as one commit of what changed (nothing when nothing
 * changed). target: `git:<url-or-path>` or `github:<owner>/<repo>`.
 */
export async function publish(fromDir: string, target: string, options: PublishOptions = {}): Promise<PublishReport> {
  const parsed = parsePublishTarget(target);
  if (parsed.kind === "git") return publishToGit(fromDir, parsed.remote, options);
  return publishToGitHub(fromDir, parsed, options);
}
