import { ExporterError } from "../exporter-error.ts";

export interface BackoffOptions {
  maxRetries: number;
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

interface HttpLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * How long to wait before retrying a failed GitHub request, or undefined when retrying cannot
 * help. Follows GitHub's rate-limit guidance: `retry-after` first; else, with
 * `x-ratelimit-remaining: 0`, until `x-ratelimit-reset`; else, for a secondary limit without
 * headers, at least one minute growing exponentially. Server errors back off exponentially.
 * 4xx answers that are not rate limits (401, 404, 422, a permission 403) are not retried here.
 */
export function retryDelayMs(err: unknown, attempt: number, nowMs: number): number | undefined {
  const e = (typeof err === "object" && err !== null ? err : {}) as HttpLikeError;
  const status = e.status;
  const headers = e.response?.headers ?? {};
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return v === undefined ? undefined : String(v);
  };
  if (status === 403 || status === 429) {
    const retryAfter = Number(header("retry-after"));
    if (header("retry-after") !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter) * 1000;
    const reset = Number(header("x-ratelimit-reset"));
    if (header("x-ratelimit-remaining") === "0" && Number.isFinite(reset)) return Math.max(0, reset * 1000 - nowMs) + 1000;
    if (status === 429 || /secondary rate limit|abuse/i.test(e.message ?? "")) return 60_000 * 2 ** attempt;
    return undefined;
  }
  if (status !== undefined && status >= 500) return 1000 * 2 ** attempt;
  return undefined;
}

/** Runs request, retrying rate limits and server errors with bounded, header-driven waits. */
export async function withBackoff<T>(label: string, request: () => Promise<T>, options: BackoffOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const wait = retryDelayMs(err, attempt, options.now());
      if (wait === undefined) throw err;
      if (attempt >= options.maxRetries || wait > options.maxWaitMs) {
        throw new ExporterError(
          "rate_limited",
          `GitHub ${label}: still limited after ${attempt + 1} attempt(s) (next wait ${Math.round(wait / 1000)} s)`,
          "wait for the rate limit to reset (see x-ratelimit-reset) and publish again; nothing was committed",
          err,
        );
      }
      await options.sleep(wait);
    }
  }
}
