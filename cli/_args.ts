/** Argument parsing and help text shared by every command (node:util parseArgs, strict). */
import { parseArgs } from "node:util";
import { MemoryossError } from "../lib/errors/mod.ts";
import { resolveNamespace } from "../lib/namespace/mod.ts";

/** One option of a command. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. "NS". */
  value?: string;
  description: string;
}

/** A command's arguments and help. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string[];
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Extra help paragraphs. */
  notes?: string[];
}

/** The `-n/--namespace NS` option most memory commands take. */
export const NAMESPACE_OPTION = {
  type: "string",
  short: "n",
  value: "NS",
  description: "namespace (default: $MEMORYOSS_NAMESPACE, else the current store's: 'store list')",
} as const;

/** The `--json` option of every command that prints data. */
export const JSON_OPTION = { type: "boolean", description: "print JSON" } as const;

/** Provenance and classification options shared by `store` and `remember`. */
export const MEMORY_FIELD_OPTIONS = {
  tags: {
    type: "string",
    short: "t",
    value: "A,B",
    description: "comma-separated tags",
    multiple: true,
  },
  agent: { type: "string", value: "NAME", description: "agent that produced it" },
  session: { type: "string", value: "ID", description: "session it came from" },
  category: {
    type: "string",
    value: "C",
    description: "preference | decision | fact | insight | context",
  },
} as const;

/** Parsed arguments. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Render `--help` for a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [`memoryoss ${spec.name} — ${spec.summary}`, "", "Usage:"];
  for (const u of spec.usage) lines.push(`  memoryoss ${u}`);
  const opts = Object.entries({
    ...spec.options,
    help: { type: "boolean", short: "h", description: "show this help" } as OptionSpec,
  });
  lines.push("", "Options:");
  const rows = opts.map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${
      o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""
    }`;
    return [flag, o.description + (o.multiple ? " (repeatable)" : "")];
  });
  rows.push(["-c, --config FILE", "config file (global; default $MEMORYOSS_HOME/memoryoss.toml)"]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [flag, desc] of rows) lines.push(`  ${flag.padEnd(width)}${desc}`);
  // Notes are one block: an entry is a line, and a sentence may run on to the next entry.
  if (spec.notes?.length) lines.push("", ...spec.notes);
  if (spec.examples?.length) {
    lines.push("", "Examples:");
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return lines.join("\n");
}

/**
 * Parse `args` for `spec`. Returns null after printing help for `-h/--help`; throws
 * INVALID_INPUT (exit 3) naming the bad flag otherwise.
 */
export function parseCommand(spec: CommandSpec, args: string[]): Parsed | null {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${parseProblem(e)} (see 'memoryoss ${spec.name} --help')`,
    );
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    return null;
  }
  refuseUndecodable(parsed as Parsed);
  return parsed as Parsed;
}

/**
 * Deno hands over arguments already decoded, with bytes that are not UTF-8 replaced by
 * U+FFFD, so U+FFFD is the only trace of them: refuse it rather than store the replacement
 * (stdin and files are decoded strictly, so text holding a real U+FFFD can go there).
 */
function refuseUndecodable(p: Parsed): void {
  const why = "is not valid UTF-8 (it holds U+FFFD, the mark of undecodable bytes); " +
    "pass such text on stdin instead";
  for (const [name, v] of Object.entries(p.values)) {
    const all = Array.isArray(v) ? v : [v];
    if (all.some((x) => typeof x === "string" && x.includes("\ufffd"))) {
      throw new MemoryossError("INVALID_INPUT", `--${name} ${why}`, [name]);
    }
  }
  const i = p.positionals.findIndex((x) => x.includes("\ufffd"));
  if (i >= 0) throw new MemoryossError("INVALID_INPUT", `argument ${i + 1} ${why}`);
}

/** One line for a parseArgs failure, in our words where node's are puzzling. */
function parseProblem(e: unknown): string {
  const msg = (e as Error).message.split("\n")[0];
  const ambiguous = msg.match(/^Option '(-[^']+)' argument is ambiguous/);
  if (ambiguous) {
    return `${ambiguous[1]} got a value that starts with '-'; write it as ${ambiguous[1]}=VALUE`;
  }
  return msg.replace(/\. To specify a positional.*$/, "").replace(
    /^Unknown option/,
    "unknown option",
  );
}

/** A comma-separated list flag (`--tags a,b`) that may also be repeated. */
export function listValue(v: string | boolean | string[] | undefined): string[] | undefined {
  if (v === undefined || typeof v === "boolean") return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(","));
  const out = parts.map((s) => s.trim()).filter((s) => s.length > 0);
  return out;
}

/** A positive integer flag, or INVALID_INPUT naming it. */
export function intValue(v: unknown, flag: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !/^\d+$/.test(v) || n < min) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--${flag} takes a whole number ≥ ${min}, got '${v}'`,
    );
  }
  return n;
}

/**
 * The namespace of a memory command: `--namespace`, else the current named store's
 * (`MEMORYOSS_STORE`, then `<home>/current_store`, else `default`). One rule for every command.
 */
export function namespaceValue(v: unknown): string {
  return resolveNamespace(strValue(v), (k) => Deno.env.get(k));
}

/** A string flag (undefined when absent). */
export function strValue(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Drop undefined fields so zod's strict objects see only what the user gave. */
export function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
