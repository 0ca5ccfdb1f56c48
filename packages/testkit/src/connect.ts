import postgres from "postgres";

export type Sql = postgres.Sql<{}>;

export interface ConnectOptions {
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A postgres.js pool with the settings every part of the project relies on: UTC session time
 * zone (timestamps hold UTC wall-clock), notices kept off stdout.
 */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { TimeZone: "UTC", application_name: options.applicationName ?? "osm-notes-analytics" },
  });
}
