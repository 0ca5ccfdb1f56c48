import { ExporterError } from "../exporter-error.ts";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the system git with explicit arguments (no shell, so no quoting problems with paths or
 * messages). Prompts are disabled: a publish runs from cron and must fail, not wait.
 */
export async function git(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string | Uint8Array; allowFailure?: boolean } = {},
): Promise<GitResult> {
  const proc = Bun.spawn(["git", ...args], {
    cwd: options.cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...options.env },
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0 && options.allowFailure !== true) {
    throw new ExporterError(
      "git_failed",
      `git ${args[0]} failed (exit ${code}): ${stderr.trim()}`,
      "check that the remote exists and is reachable with the configured credentials",
    );
  }
  return { code, stdout, stderr };
}
