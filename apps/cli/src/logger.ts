import { createConsola, type ConsolaInstance, type LogObject } from "consola";

/**
 * The one logger of the CLI: everything on stderr (stdout carries data), or one JSON object
 * per line when OSMN_LOG_FORMAT=json, for log shippers.
 */
export function createLogger(format: "text" | "json"): ConsolaInstance {
  if (format === "json") {
    return createConsola({
      level: 3,
      reporters: [{ log: (entry: LogObject) => process.stderr.write(`${JSON.stringify(jsonLine(entry))}\n`) }],
    });
  }
  return createConsola({ level: 3, stdout: process.stderr, stderr: process.stderr });
}

function jsonLine(entry: LogObject): Record<string, unknown> {
  const [message, ...rest] = entry.args;
  const fields = rest.length === 1 && typeof rest[0] === "object" ? rest[0] : rest.length ? { args: rest } : {};
  return { time: entry.date.toISOString(), level: entry.type, message: String(message ?? ""), ...(fields as object) };
}

/** The logger interface packages take: message plus structured fields (kept in JSON lines). */
export interface PackageLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export function packageLogger(logger: ConsolaInstance, format: "text" | "json"): PackageLogger {
  if (format === "json") {
    return { info: (m, f) => logger.info(m, f ?? {}), warn: (m, f) => logger.warn(m, f ?? {}) };
  }
  return { info: (m) => logger.info(m), warn: (m) => logger.warn(m) };
}
