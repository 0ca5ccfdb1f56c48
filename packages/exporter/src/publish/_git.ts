import { spawn } from "node:child_process";
import { ExporterError } from "../exporter-error.ts";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the system git with explicit arguments (no shell, so no quoting problems with paths or
 * messages). Prompts are disabled: a publish runs from cron and must fail, not wait.
 * node:child_process rather than Bun.spawn: the package also runs under Node (dist).
 */
export function git(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string | Uint8Array; allowFailure?: boolean } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...options.env },
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) =>
      reject(new ExporterError("git_failed", `cannot run git: ${e.message}`, "install git and put it on PATH", e)),
    );
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      if (result.code !== 0 && options.allowFailure !== true) {
        reject(
          new ExporterError(
            "git_failed",
            `git ${args[0]} failed (exit ${result.code}): ${result.stderr.trim()}`,
            "check that the remote exists and is reachable with the configured credentials",
          ),
        );
      } else resolve(result);
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  });
}
