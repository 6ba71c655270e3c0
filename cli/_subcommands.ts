/**
 * The one way a command with subcommands dispatches them and prints their help (`lane`, the
 * portability commands, `keys`, `scheduler`, `config`, …). Two shapes share the lookup, the
 * group help and the unknown-subcommand error:
 *
 * - {@link runSubcommands}: each subcommand has its own options and help
 *   (`memoryoss passport import --help`, `memoryoss help`-style `memoryoss lane help audit`).
 * - {@link runVerbs}: one {@link CommandSpec} (one help page) shared by verbs given as the first
 *   positional (`memoryoss keys create --role writer`).
 *
 * An unknown subcommand is INVALID_INPUT (exit 3), one line naming the valid ones.
 *
 * @module
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, helpText, parseCommand, type Parsed } from "./_args.ts";
import type { Globals } from "./_io.ts";

/** One subcommand with its own options and help. */
export interface Subcommand {
  summary: string;
  /** Usage after `memoryoss GROUP `, e.g. `import FILE [--dry-run]`. */
  usage: string;
  options: CommandSpec["options"];
  notes?: string[];
  examples?: string[];
  /** A seed tool's spelling of the same verb (cmmd, mmctl), shown in help. */
  cmmd?: string;
  /** Positionals it takes (exactly, or at most: see {@link SubcommandGroup.arity}); default 0. */
  positionals?: number;
  run(p: Parsed, g: Globals): Promise<number>;
}

/** A command made of subcommands. */
export interface SubcommandGroup {
  /** The command, e.g. `lane`. */
  name: string;
  summary: string;
  subs: Record<string, Subcommand>;
  /** The group help's usage lines (after `memoryoss `); default: each subcommand's usage. */
  usage?: string[];
  /** Paragraph lines printed after the group help's options. */
  notes?: string[];
  /** `exact` (default): a subcommand takes exactly its positionals; `at-most`: up to them. */
  arity?: "exact" | "at-most";
}

/** A verb of a {@link runVerbs} command: the parsed arguments and the positionals after it. */
export type Verb = (p: Parsed, rest: string[], g: Globals) => Promise<number>;

/** `table[name]` when `name` is one of its own keys (never an Object.prototype member). */
export function lookup<T>(table: Record<string, T>, name: string | undefined): T | undefined {
  return name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The one error for a missing or unknown subcommand: exit 3, naming the valid ones. */
export function unknownSubcommand(
  group: string,
  name: string | undefined,
  valid: string[],
): MemoryossError {
  const what = name === undefined
    ? `${group} needs a subcommand`
    : `unknown ${group} subcommand '${name}'`;
  return new MemoryossError("INVALID_INPUT", `${what} (one of: ${valid.join(", ")})`);
}

/** `table[name]`, or the {@link unknownSubcommand} error. */
export function pick<T>(group: string, table: Record<string, T>, name: string | undefined): T {
  const found = lookup(table, name);
  if (found === undefined) throw unknownSubcommand(group, name, Object.keys(table));
  return found;
}

/** The help of a whole group: usage, the subcommands with their summaries, options, notes. */
export function groupHelp(group: SubcommandGroup): string {
  const names = Object.keys(group.subs);
  const width = Math.max(...names.map((k) => k.length)) + 2;
  const usage = group.usage ?? Object.values(group.subs).map((s) => `${group.name} ${s.usage}`);
  const lines = [`memoryoss ${group.name} — ${group.summary}`, "", "Usage:"];
  for (const u of usage) lines.push(`  memoryoss ${u}`);
  lines.push("", "Subcommands:");
  for (const [k, s] of Object.entries(group.subs)) lines.push(`  ${k.padEnd(width)}${s.summary}`);
  lines.push("", "Options:", "  -h, --help  show this help (also after any subcommand)");
  if (group.notes?.length) lines.push("", ...group.notes);
  lines.push("", `Run 'memoryoss ${group.name} SUBCOMMAND --help' for its options.`);
  return lines.join("\n");
}

/** The help page of one subcommand, as `--help` after it prints it. */
export function subcommandSpec(group: SubcommandGroup, name: string): CommandSpec {
  const sub = group.subs[name];
  const notes = [...(sub.notes ?? []), ...(sub.cmmd ? [`cmmd's spelling: ${sub.cmmd}.`] : [])];
  return {
    name: `${group.name} ${name}`,
    summary: sub.summary,
    usage: [`${group.name} ${sub.usage}`],
    options: sub.options,
    notes: notes.length ? notes : undefined,
    examples: sub.examples,
  };
}

const HELP_WORDS = new Set(["-h", "--help", "help"]);

/**
 * Runs `memoryoss GROUP SUB …`: no subcommand, `-h`, `--help` or `help` print the group help;
 * `help SUB` and `SUB --help` print the subcommand's; an unknown one is exit 3.
 *
 * @example
 * ```ts
 * return await runSubcommands({ name: "passport", summary: "…", subs: SUBS }, args, g);
 * ```
 */
export async function runSubcommands(
  group: SubcommandGroup,
  args: string[],
  g: Globals,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === "help" && rest.length) {
    pick(group.name, group.subs, rest[0]);
    console.log(helpText(subcommandSpec(group, rest[0])));
    return 0;
  }
  if (name === undefined || HELP_WORDS.has(name)) {
    console.log(groupHelp(group));
    return 0;
  }
  const sub = pick(group.name, group.subs, name);
  const p = parseCommand(subcommandSpec(group, name), rest);
  if (!p) return 0;
  checkArity(group, name, p.positionals);
  return await sub.run(p, g);
}

/** Too many positionals, or (for `exact` groups) too few: exit 3 naming the usage. */
function checkArity(group: SubcommandGroup, name: string, positionals: string[]): void {
  const sub = group.subs[name];
  const want = sub.positionals ?? 0;
  const where = `${group.name} ${name}`;
  if (positionals.length > want) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${where}: unexpected argument '${positionals[want]}'`,
    );
  }
  if (positionals.length < want && (group.arity ?? "exact") === "exact") {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${where}: missing argument (usage: memoryoss ${group.name} ${sub.usage})`,
    );
  }
}

/**
 * Runs a command whose verbs share one help page: `help` (and `-h`/`--help` anywhere) print
 * `spec`'s help; the first positional picks the verb (`fallback` when there is none), which gets
 * the positionals after it.
 *
 * @example
 * ```ts
 * return await runVerbs(spec, { list, create }, args, g);
 * ```
 */
export async function runVerbs(
  spec: CommandSpec,
  verbs: Record<string, Verb>,
  args: string[],
  g: Globals,
  fallback?: string,
): Promise<number> {
  if (args[0] === "help") {
    console.log(helpText(spec));
    return 0;
  }
  const p = parseCommand(spec, args);
  if (!p) return 0;
  const [name = fallback, ...rest] = p.positionals;
  return await pick(spec.name, verbs, name)(p, rest, g);
}
