/**
 * CLI: lane — tend Claude Code's file memory (audit, fix, undo, tick loop, doctor, accounts,
 * logs, janitor, plugins, service). The subcommands live in cli/lane/*.ts by group; this file
 * is the entry the command table loads; cli/_subcommands.ts dispatches and prints help.
 */
import type { Globals } from "./_io.ts";
import { runSubcommands, type Subcommand } from "./_subcommands.ts";
import { accounts, doctor } from "./lane/doctor.ts";
import { lastTickSummary, orphanNode, pressure, tmuxJanitor, vacuum } from "./lane/housekeeping.ts";
import { janitor, plugins } from "./lane/janitor.ts";
import { audit, diff, fix, gitLog, restore } from "./lane/memory.ts";
import { service } from "./lane/service.ts";
import { ctl, history, logs, tend, tickLog } from "./lane/tend.ts";

const SUBCOMMANDS: Record<string, Subcommand> = {
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

/** Entry point for `memoryoss lane …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runSubcommands(
    {
      name: "lane",
      summary: "tend Claude Code's file memory (~/.claude/projects/<slug>/memory)",
      usage: ["lane SUBCOMMAND [options]"],
      subs: SUBCOMMANDS,
      arity: "at-most",
      notes: [
        "Settings use cmmd's names (DRY_RUN, TICK_INTERVAL_SEC, MEMORY_ROOT, …): a flag, then the",
        "environment, ./.env, <state-dir>/lane.toml, then the default; 'lane doctor' shows each with",
        "its source.",
      ],
    },
    args,
    g,
  );
}
