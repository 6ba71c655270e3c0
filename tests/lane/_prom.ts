/**
 * A small Prometheus text-format (0.0.4) reader for tests, written from the format's rules and
 * sharing nothing with lib/lane/metrics.ts: `# HELP name text`, `# TYPE name type`, then
 * samples `name{label="value",…} number`. It rejects what a scraper would reject: a sample
 * without a TYPE before it, a repeated TYPE, a malformed label set or value.
 */

/** One sample. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What a scrape holds. */
export interface Scrape {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function labelsOf(text: string, line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`bad label set in: ${line}`);
    out[m[1]] = m[2].replace(/\\(["\\n])/g, (_, c) => (c === "n" ? "\n" : c));
    at = re.lastIndex;
  }
  return out;
}

/** Parse exposition text; throws on anything a scraper would refuse. */
export function parseProm(text: string): Scrape {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!NAME.test(name)) throw new Error(`bad metric name: ${line}`);
      if (kind === "TYPE") {
        if (types.has(name)) throw new Error(`TYPE repeated for ${name}`);
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) {
          throw new Error(`bad type: ${line}`);
        }
        types.set(name, rest);
      } else help.set(name, rest);
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([^ ]+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const value = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    if (m[3] !== "NaN" && Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    if (!types.has(m[1])) throw new Error(`sample before its TYPE: ${line}`);
    samples.push({ name: m[1], labels: m[2] ? labelsOf(m[2], line) : {}, value });
  }
  return { types, help, samples };
}

/** The value of the one sample named `name` (throws when there is not exactly one). */
export function valueOf(s: Scrape, name: string): number {
  const found = s.samples.filter((x) => x.name === name);
  if (found.length !== 1) throw new Error(`${found.length} samples named ${name}`);
  return found[0].value;
}
