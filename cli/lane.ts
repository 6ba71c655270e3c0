/**
 * CLI: lane — tend Claude Code's file memory (audit, fix, undo, tick loop, doctor, accounts,
 * logs, janitor, plugins, service). The subcommands live in cli/lane/*.ts by group; this file
 * is the entry the command table loads: it dispatches and prints help.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, parseCommand } from "./_args.ts";
import type { Globals } from "./_io.ts";
import type { Sub } from "./lane/_shared.ts";
import { accounts, doctor } from "./lane/doctor.ts";
import { lastTickSummary, orphanNode, pressure, tmuxJanitor, vacuum } from "./lane/housekeeping.ts";
import { janitor, plugins } from "./lane/janitor.ts";
import { audit, diff, fix, gitLog, restore } from "./lane/memory.ts";
import { service } from "./lane/service.ts";
import { ctl, history, logs, tend, tickLog } from "./lane/tend.ts";

const SUBCOMMANDS: Record<string, Sub> = {
  audit,
  fix,
  history,
  "git-log": gitLog,
  diff,
  restore,
  tend,
  ctl,
  doctor,
  accounts,
  logs,
  "tick-log": tickLog,
  janitor,
  "orphan-node": orphanNode,
  "tmux-janitor": tmuxJanitor,
  pressure,
  vacuum,
  "last-tick-summary": lastTickSummary,
  plugins,
  service,
};

const HELP = "memoryoss lane — tend Claude Code's file memory (~/.claude/projects/<slug>/memory)" +
  "\n\nUsage:\n  memoryoss lane SUBCOMMAND [options]\n\nSubcommands:\n";
const laneHelp = () =>
  HELP + Object.entries(SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(10)}${s.summary}\n`).join("") +
  "\nOptions:\n  -h, --help  show this help (also after any subcommand)\n" +
  "\nSettings use cmmd's names (DRY_RUN, TICK_INTERVAL_SEC, MEMORY_ROOT, …): a flag, then the" +
  "\nenvironment, ./.env, <state-dir>/lane.toml, then the default; 'lane doctor' shows each" +
  " with\nits source.\n" +
  "\nRun 'memoryoss lane SUBCOMMAND --help' for its options.";

/** Entry point for `memoryoss lane …`. */
export async function main(args: string[], _g: Globals): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    console.log(laneHelp());
    return 0;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown lane subcommand '${name}' (one of: ${Object.keys(SUBCOMMANDS).join(", ")})`,
    );
  }
  const spec: CommandSpec = {
    name: `lane ${name}`,
    summary: sub.summary,
    usage: [`lane ${sub.usage}`],
    options: sub.options,
    notes: sub.cmmd ? [...(sub.notes ?? []), `cmmd's spelling: ${sub.cmmd}.`] : sub.notes,
    examples: sub.examples,
  };
  const p = parseCommand(spec, rest);
  if (!p) return 0;
  if (p.positionals.length > (sub.positionals ?? 0)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `lane ${name}: unexpected argument '${p.positionals[sub.positionals ?? 0]}'`,
    );
  }
  return await sub.run(p);
}
