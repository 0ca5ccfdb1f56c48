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
