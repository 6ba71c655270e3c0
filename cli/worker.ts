/**
 * CLI: `worker install|remove|status` — the periodic `memoryoss drain --once` under the OS's
 * user-level scheduler (systemd user timer, launchd agent, Task Scheduler). lib/worker does
 * the work; this file parses flags and prints.
 */
import { existsSync } from "node:fs";
import { MemoryossError } from "../lib/errors/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { lastDrainRun, queueStats } from "../lib/memory/mod.ts";
import { parseDuration } from "../lib/relief/mod.ts";
import { formatJobChange } from "../lib/schedule/mod.ts";
import {
  DEFAULT_WORKER_INTERVAL_MS,
  denoRunner,
  installWorker,
  removeWorker,
  schedulerState,
  type WorkerContext,
  workerFiles,
} from "../lib/worker/mod.ts";
import { type CommandSpec, JSON_OPTION, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { machineContext } from "./_machine.ts";
import { runVerbs } from "./_subcommands.ts";

const spec: CommandSpec = {
  name: "worker",
  summary: "run 'memoryoss drain --once' periodically under the OS scheduler",
  usage: [
    "worker install [--interval 5m] [--dry-run|--print] [--json]",
    "worker remove [--dry-run] [--json]",
    "worker status [--json]",
  ],
  options: {
    interval: { type: "string", value: "DUR", description: "time between drains (default 5m)" },
    "dry-run": { type: "boolean", description: "show what would be written or removed" },
    print: { type: "boolean", description: "same as --dry-run" },
    json: JSON_OPTION,
  },
  notes: [
    "Linux: a systemd user timer and service in $XDG_CONFIG_HOME/systemd/user (loaded with",
    "systemctl --user). macOS: ~/Library/LaunchAgents/com.memoryoss.drain.plist (launchctl).",
    "Windows: a Task Scheduler task memoryoss\\Drain from <home>/worker/memoryoss-drain.xml",
    "(schtasks). When the scheduler program is missing, the files are still written (or",
    "removed) and the command to run by hand is printed.",
    "status shows whether the worker is installed and the last drain run (time and outcome).",
  ],
  examples: [
    "memoryoss worker install --interval 10m",
    "memoryoss worker install --print",
    "memoryoss worker status --json",
  ],
};

/** The machine as the worker sees it (also `scheduler interval`'s). */
export async function workerContext(g: Globals): Promise<WorkerContext> {
  return { ...(await machineContext(g)), run: denoRunner };
}

/** `worker install|remove|status` */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runVerbs(spec, { install: change, remove: change, status: statusVerb }, args, g);
}

/** `worker install` and `worker remove` (their flags checked here). */
async function change(p: Parsed, rest: string[], g: Globals): Promise<number> {
  noArguments(rest);
  const action = p.positionals[0];
  const dry = Boolean(p.values["dry-run"] || p.values.print);
  const interval = strValue(p.values.interval);
  if (action !== "install" && interval) {
    throw new MemoryossError("INVALID_INPUT", `--interval is only for 'worker install'`);
  }
  const ctx = await workerContext(g);
  const res = action === "install"
    ? await installWorker(
      ctx,
      interval ? parseDuration(interval, "interval") : DEFAULT_WORKER_INTERVAL_MS,
      dry,
    )
    : await removeWorker(ctx, dry);
  if (p.values.json) printJson(res);
  else console.log(formatJobChange(res, "worker"));
  return 0;
}

async function statusVerb(p: Parsed, rest: string[], g: Globals): Promise<number> {
  noArguments(rest);
  if (strValue(p.values.interval)) {
    throw new MemoryossError("INVALID_INPUT", `--interval is only for 'worker install'`);
  }
  if (p.values["dry-run"] || p.values.print) {
    throw new MemoryossError("INVALID_INPUT", "--dry-run is only for install and remove");
  }
  return await status(await workerContext(g), g, Boolean(p.values.json));
}

function noArguments(rest: string[]): void {
  if (rest.length) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "usage: memoryoss worker install [--interval 5m] [--dry-run] | remove | status [--json]",
    );
  }
}

async function status(ctx: WorkerContext, g: Globals, json: boolean): Promise<number> {
  const files = await workerFiles(ctx);
  const scheduler = await schedulerState(ctx);
  const loaded = await loadConfig({ configPath: g.config, init: false });
  let last = null, queue = null;
  if (existsSync(loaded.dbPath)) {
    const store = Store.open(loaded.dbPath, { readOnly: true });
    try {
      last = lastDrainRun(store);
      queue = queueStats(store);
    } finally {
      store.close();
    }
  }
  const out = {
    os: ctx.os,
    installed: files.length > 0,
    files,
    scheduler,
    last_run: last,
    queue,
  };
  if (json) {
    printJson(out);
    return 0;
  }
  console.log(`worker      ${out.installed ? "installed" : "not installed"} (${ctx.os})`);
  for (const f of files) console.log(`  ${f}`);
  console.log(`scheduler   ${scheduler.state} (${scheduler.detail})`);
  console.log(
    last
      ? `last drain  ${last.finished_at} ${last.outcome}: ${last.processed} applied, ` +
        `${last.failed} failed${last.error ? ` (${last.error})` : ""}`
      : "last drain  never",
  );
  if (queue) console.log(`queue       ${queue.pending} pending, ${queue.failed} failed`);
  return 0;
}
