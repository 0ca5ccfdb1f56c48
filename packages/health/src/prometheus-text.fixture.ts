// A strict reader of the Prometheus text exposition format (0.0.4) for tests: it throws on
// anything a Prometheus server would reject or silently misread, so a renderer bug fails a test.

export interface Sample {
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  help?: string;
  type?: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const families = new Map<string, Family>();
  const seriesSeen = new Set<string>();
  let current: string | undefined;
  const closed = new Set<string>();
  const family = (name: string): Family => {
    if (current !== name) {
      if (closed.has(name)) throw new Error(`metric family ${name} is not contiguous`);
      if (current) closed.add(current);
      current = name;
    }
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // other comments are allowed
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name in ${where}`);
      const f = family(name);
      if (kind === "HELP") {
        if (f.help !== undefined) throw new Error(`second HELP for ${name} at ${where}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ""))) throw new Error(`bad escape in HELP at ${where}`);
        f.help = rest.replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
      } else {
        if (f.type !== undefined) throw new Error(`second TYPE for ${name} at ${where}`);
        if (f.samples.length) throw new Error(`TYPE after samples for ${name} at ${where}`);
        if (!TYPES.has(rest)) throw new Error(`unknown type at ${where}`);
        f.type = rest;
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) throw new Error(`bad sample at ${where}`);
    const [, name, rawLabels, rawValue] = m as unknown as [string, string, string | undefined, string];
    const labels = rawLabels ? parseLabels(rawLabels.slice(1, -1), where) : {};
    const value = parseValue(rawValue, where);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seriesSeen.has(key)) throw new Error(`duplicate series at ${where}`);
    seriesSeen.add(key);
    family(name).samples.push({ labels, value });
  });
  return families;
}

function parseLabels(body: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const eq = body.indexOf("=", i);
    if (eq < 0) throw new Error(`label without value at ${where}`);
    const name = body.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name ${name} at ${where}`);
    if (name in labels) throw new Error(`repeated label ${name} at ${where}`);
    if (body[eq + 1] !== '"') throw new Error(`unquoted label value at ${where}`);
    let j = eq + 2;
    let value = "";
    for (;;) {
      const c = body[j];
      if (c === undefined) throw new Error(`unterminated label value at ${where}`);
      if (c === '"') break;
      if (c === "\\") {
        const next = body[j + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else throw new Error(`bad escape in label value at ${where}`);
        j += 2;
        continue;
      }
      if (c === "\n") throw new Error(`raw newline in label value at ${where}`);
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (i < body.length) {
      if (body[i] !== ",") throw new Error(`expected , between labels at ${where}`);
      i++;
    }
  }
  return labels;
}

function parseValue(raw: string, where: string): number {
  if (raw === "NaN") return Number.NaN;
  if (raw === "+Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`bad value at ${where}`);
  return Number(raw);
}
