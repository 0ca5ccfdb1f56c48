import { classifyPgError } from "@osm-notes/dwh-sql";

interface PgLike {
  code?: unknown;
  message?: unknown;
}

/**
 * One line saying why a connection failed, without stack or query text: what the operator
 * reads in `health` output and in alerts. Authentication and unknown database get their own
 * words because their fix differs from "start PostgreSQL".
 */
export function connectionErrorLine(err: unknown): string {
  const e = (typeof err === "object" && err !== null ? err : {}) as PgLike;
  const code = typeof e.code === "string" ? e.code : "";
  const raw = typeof e.message === "string" && e.message ? e.message : String(err);
  const text = raw.split("\n")[0]!.trim();
  if (code.startsWith("28")) return `authentication failed: ${text} (check the user and password in the URL)`;
  if (code === "3D000") return `${text} (create it, or fix the database name in the URL)`;
  const classified = classifyPgError(err);
  if (classified.code === "connection") return `${text} (${classified.hint})`;
  return text;
}

/** Rejects after `ms` with a timeout error, so a silent network cannot hang `health`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms / 1000} s`), { code: "CONNECT_TIMEOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
