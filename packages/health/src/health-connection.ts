import postgres, { type Sql } from "postgres";

export interface HealthConnectionOptions {
  /** Give up connecting after this many seconds (default 5): health must answer quickly. */
  connectTimeoutSeconds?: number;
  /** Server-side limit per statement (default 120 s; the validation functions scan facts). */
  statementTimeoutSeconds?: number;
  applicationName?: string;
}

/**
 * A small pool for health checks: short connect timeout, a statement timeout, UTC session,
 * notices dropped. Connecting is lazy: a wrong URL surfaces as the `database` check, not here.
 */
export function connectHealthDatabase(url: string, options: HealthConnectionOptions = {}): Sql<{}> {
  return postgres(url, {
    max: 2,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 5,
    onnotice: () => {},
    connection: {
      TimeZone: "UTC",
      application_name: options.applicationName ?? "osm-notes-analytics health",
      statement_timeout: (options.statementTimeoutSeconds ?? 120) * 1000,
    },
  });
}
