/** Options shared by both publishers. */
export interface PublishOptions {
  /** Branch to commit to (default "main"). */
  branch?: string;
  /** Directory of the repository that mirrors the export tree (default "data"; "" = root). */
  prefix?: string;
  /** Compute and return the change set without writing anything. */
  dryRun?: boolean;
  /** Commit message (default "Auto-update: datamart JSON export - <UTC time>"). */
  message?: string;
  /** Commit author and committer (default "OSM Notes Analytics"). */
  author?: { name: string; email: string };
  /** Times a commit is rebuilt on a remote head that moved (default 5). */
  maxAttempts?: number;
  /** Files larger than this are refused before anything is uploaded (default: git 100 MiB, GitHub 40 MiB). */
  maxFileBytes?: number;
  // git: target
  /** Bare repository the git publisher fetches into and builds commits in (reused between runs). */
  workDir?: string;
  /** Called before each push attempt (observability; tests use it to race another pusher). */
  onBeforePush?: (attempt: number) => Promise<void> | void;
  // github: target
  /** Token with contents:write (the CLI passes GITHUB_TOKEN). */
  token?: string;
  /** API root (default https://api.github.com); tests point it at a local server. */
  baseUrl?: string;
  /** Entries per createTree call (default and maximum 200). */
  treeChunkSize?: number;
  /** Inline content per createTree call (default 2 MiB: bigger bodies fail with 422 "input was too large"). */
  treeChunkBytes?: number;
  /** Minimum time between content-creating requests (default 1000 ms, GitHub's guidance). */
  mutationIntervalMs?: number;
  /** Retries of one request on rate limits and server errors (default 5). */
  maxRetries?: number;
  /** Longest single wait the back-off accepts before giving up (default 15 min). */
  maxWaitMs?: number;
  /** Injectable clock and sleep, so tests do not wait for real. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Result of a publish: paths relative to the repository root. */
export interface PublishReport {
  target: string;
  /** The new commit; undefined when nothing changed or on a dry run. */
  commit?: string;
  added: string[];
  modified: string[];
  deleted: string[];
  unchanged: number;
  dryRun: boolean;
  /** Commit attempts (more than 1 when the remote moved and the commit was rebuilt). */
  attempts: number;
}

export const DEFAULT_AUTHOR = { name: "OSM Notes Analytics", email: "osm-notes-analytics@users.noreply.github.com" };

export function defaultMessage(now: Date): string {
  return `Auto-update: datamart JSON export - ${now.toISOString().replace("T", " ").slice(0, 19)}`;
}
