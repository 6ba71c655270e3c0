/**
 * CLI: relief — Memoria-style RAM relief. `relief [--snap] [--tier …]`, `relief auto`,
 * `relief schedule install|remove|show`, `relief history`. Exit codes are relief's own
 * contract: 0 ok, 1 partial, 2 failure, 3 invalid arguments.
 */
import { join } from "node:path";
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  appendHistory,
  applyInstall,
  type Backend,
  EXIT,
  formatDuration,
  historyEntry,
  historyLine,
  loadState,
  openBackend,
  parseDuration,
  planInstall,
  readHistory,
  type ReliefOptions,
  type ReliefReport,
  removeSchedule,
  renderScheduleText,
  renderText,
  runAuto,
  runRelief,
  saveState,
  type ScheduleContext,
  showSchedule,
  systemClock,
  type Tier,
  TIERS,
  withLastRun,
} from "../lib/relief/mod.ts";
import {
  type CommandSpec,
  intValue,
  listValue,
  parseCommand,
  type Parsed,
  strValue,
} from "./_args.ts";
import { type Globals, printJson, reportError } from "./_io.ts";

const OUTPUT = {
  json: { type: "boolean", description: "print the schema 1.0 JSON report" },
  compact: { type: "boolean", description: "JSON on one line (implies --json)" },
  quiet: { type: "boolean", description: "no human-readable output (exit code only)" },
} as const;
const GUARD = {
  whitelist: {
    type: "string",
    multiple: true,
    value: "A,B",
    description: "image names never trimmed (e.g. game.exe,obs64)",
  },
  "no-exclude-foreground": {
    type: "boolean",
    description: "also trim the foreground app and its process tree",
  },
  "min-ws-mb": {
    type: "string",
    value: "N",
    description: "skip processes below N MB (default 50)",
  },
  "no-history": { type: "boolean", description: "write nothing under the home (history, state)" },
} as const;
const TIER_OPT = {
  type: "string",
  value: "TIER",
  description: "safe (default, no admin) | standard | aggressive (admin)",
} as const;

const reliefSpec: CommandSpec = {
  name: "relief",
  summary: "snapshot memory and clean it up in tiers (Memoria-style)",
  usage: [
    "relief [--snap] [--tier safe|standard|aggressive] [--json] [--compact] [--quiet]",
    "relief auto --threshold 90 [--interval 30m]",
    "relief schedule install|remove|show [--every 30m] [--print]",
    "relief history [-n 20] [--json]",
  ],
  options: {
    snap: { type: "boolean", description: "only take a snapshot" },
    tier: TIER_OPT,
    ...OUTPUT,
    ...GUARD,
    "dry-run": { type: "boolean", description: "plan and list targets, change nothing" },
    pid: { type: "string", multiple: true, value: "PID", description: "trim only these PIDs" },
    settle: { type: "string", value: "DUR", description: "wait (e.g. 15s) and report the rebound" },
    "reclaim-mb": { type: "string", value: "N", description: "Linux memory.reclaim request (512)" },
  },
  notes: [
    "Exit codes: 0 ok, 1 partial (a stage errored or an admin tier was downgraded), 2 failure,\n" +
    "3 invalid arguments. Trimming moves memory (to standby, swap or disk); the report shows\n" +
    "available, free, standby and modified separately so nothing moved is called freed.",
  ],
  examples: [
    "memoryoss relief --snap --compact",
    "memoryoss relief --tier=safe --json --no-history --compact --quiet",
    "memoryoss relief --tier=standard --whitelist game.exe,obs64.exe",
  ],
};

const autoSpec: CommandSpec = {
  name: "relief auto",
  summary: "watch memory and clean when it crosses a threshold",
  usage: ["relief auto [--threshold 90] [--interval 30m] [--cooldown 30s] [--tier safe|standard]"],
  options: {
    threshold: { type: "string", value: "PCT", description: "clean at used % ≥ PCT (90; 0 = off)" },
    "min-available-mb": { type: "string", value: "N", description: "clean when available < N MB" },
    interval: { type: "string", value: "DUR", description: "also clean every DUR (e.g. 30m)" },
    poll: { type: "string", value: "DUR", description: "how often to look (5s)" },
    cooldown: { type: "string", value: "DUR", description: "least time between cleans (30s)" },
    "max-polls": { type: "string", value: "N", description: "stop after N polls" },
    tier: TIER_OPT,
    ...OUTPUT,
    ...GUARD,
  },
  notes: ["Low-yield cleans double the cooldown (up to 30m). Stops on Ctrl-C / SIGTERM."],
};

const scheduleSpec: CommandSpec = {
  name: "relief schedule",
  summary: "run relief periodically (systemd user timer / Task Scheduler)",
  usage: ["relief schedule install|remove|show [--every 30m] [--tier safe|standard] [--print]"],
  options: {
    every: { type: "string", value: "DUR", description: "how often (default 30m; 1m–24h)" },
    tier: TIER_OPT,
    print: {
      type: "boolean",
      description: "show what would be written or removed; change nothing",
    },
    json: OUTPUT.json,
  },
  notes: [
    "relief holds no permission to run programs: it writes the unit files (Linux) or the task\n" +
    "XML (Windows) and prints the one command that activates them.",
  ],
};

const historySpec: CommandSpec = {
  name: "relief history",
  summary: "show recent relief runs",
  usage: ["relief history [-n 20] [--json]"],
  options: {
    n: { type: "string", short: "n", value: "N", description: "how many (default 20)" },
    json: OUTPUT.json,
  },
};

/** Entry point: returns relief's exit code (0 ok, 1 partial, 2 failure, 3 invalid args). */
export async function main(args: string[], g: Globals): Promise<number> {
  const json = args.includes("--json") || args.includes("--compact");
  try {
    switch (args[0]) {
      case "auto":
        return await autoMain(args.slice(1), g);
      case "schedule":
        return await scheduleMain(args.slice(1), g);
      case "history":
        return await historyMain(args.slice(1), g);
      default:
        return await reliefMain(args, g);
    }
  } catch (e) {
    // Relief's contract has no 4/5: anything that is not the caller's mistake is a failure.
    return reportError(e, json) === EXIT.INVALID_ARGS ? EXIT.INVALID_ARGS : EXIT.FAILURE;
  }
}

function tierOf(p: Parsed): Tier {
  const t = strValue(p.values.tier) ?? "safe";
  if (!(TIERS as string[]).includes(t)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--tier must be safe, standard or aggressive, got '${t}'`,
    );
  }
  return t as Tier;
}

function noPositionals(p: Parsed, what: string): void {
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", `${what}: unexpected argument '${p.positionals[0]}'`);
  }
}

function guardOptions(p: Parsed): Omit<ReliefOptions, "mode" | "tier"> {
  return {
    whitelist: listValue(p.values.whitelist) ?? [],
    excludeForeground: !p.values["no-exclude-foreground"],
    minWsMb: intValue(p.values["min-ws-mb"], "min-ws-mb") ?? 50,
  };
}

const reliefDir = async (g: Globals) =>
  join((await loadConfig({ configPath: g.config, init: false })).home, "relief");

/** Print per --json/--compact/--quiet. */
function emit(p: Parsed, report: ReliefReport): void {
  if (p.values.compact) console.log(JSON.stringify(report));
  else if (p.values.json) printJson(report);
  else if (!p.values.quiet) console.log(renderText(report));
}

/** Append history and state after a cleanup; failures become a note, never an exit code. */
async function persist(dir: string, report: ReliefReport): Promise<void> {
  try {
    await appendHistory(dir, historyEntry(report));
    report.history_persisted = true;
    await saveState(dir, withLastRun(await loadState(dir), report));
  } catch (e) {
    report.report.notes.push(`history not written: ${(e as Error).message.split("\n")[0]}`);
  }
}

async function reliefMain(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(reliefSpec, args);
  if (!p) return EXIT.OK;
  noPositionals(p, "relief");
  const tier = tierOf(p);
  const pids = listValue(p.values.pid)?.map((s) => {
    if (!/^\d+$/.test(s)) {
      throw new MemoryossError("INVALID_INPUT", `--pid takes numbers, got '${s}'`);
    }
    return Number(s);
  });
  const settle = strValue(p.values.settle);
  const reclaimMb = intValue(p.values["reclaim-mb"], "reclaim-mb", 1);
  const opts: ReliefOptions = {
    mode: p.values.snap ? "snap" : "relief",
    tier,
    dryRun: !!p.values["dry-run"],
    pids: pids ?? null,
    settleMs: settle ? parseDuration(settle, "settle") : 0,
    ...guardOptions(p),
  };
  const dir = await reliefDir(g);
  const backend = openBackend({ reclaimBytes: reclaimMb ? reclaimMb * 1048576 : undefined });
  try {
    const report = await runRelief(backend, opts);
    if (opts.mode === "relief" && !opts.dryRun && !p.values["no-history"]) {
      await persist(dir, report);
    }
    emit(p, report);
    return report.exit_status;
  } finally {
    backend.close();
  }
}

async function autoMain(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(autoSpec, args);
  if (!p) return EXIT.OK;
  noPositionals(p, "relief auto");
  const tier = tierOf(p);
  if (tier === "aggressive") {
    throw new MemoryossError(
      "INVALID_INPUT",
      "relief auto: the aggressive tier is never automatic",
    );
  }
  const threshold = intValue(p.values.threshold, "threshold") ?? 90;
  if (threshold > 100) {
    throw new MemoryossError("INVALID_INPUT", "--threshold is a percentage 0–100");
  }
  const dur = (flag: string, dflt: number | null) => {
    const v = strValue(p.values[flag]);
    return v === undefined ? dflt : parseDuration(v, flag);
  };
  const minAvailableMb = intValue(p.values["min-available-mb"], "min-available-mb") ?? 0;
  const intervalMs = dur("interval", null);
  if (threshold === 0 && minAvailableMb === 0 && intervalMs === null) {
    throw new MemoryossError("INVALID_INPUT", "relief auto: nothing would ever trigger a clean");
  }
  const dir = await reliefDir(g);
  const noHistory = !!p.values["no-history"];
  const backend: Backend = openBackend();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  if (!p.values.quiet && !p.values.json && !p.values.compact) {
    console.log(
      `relief auto: tier ${tier}, threshold ${threshold}%` +
        (intervalMs ? `, every ${formatDuration(intervalMs)}` : "") + " (Ctrl-C stops)",
    );
  }
  try {
    const summary = await runAuto({
      thresholdPct: threshold,
      minAvailableMb,
      intervalMs,
      pollMs: dur("poll", 5000)!,
      cooldownMs: dur("cooldown", 30_000)!,
      maxCooldownMs: 30 * 60_000,
      lowYieldMb: 64,
      maxIterations: intValue(p.values["max-polls"], "max-polls", 1),
      signal: stop.signal,
      relief: { tier, ...guardOptions(p) },
    }, {
      backend,
      clock: systemClock,
      loadState: () => loadState(dir),
      saveState: (s) => saveState(dir, s),
      onReport: async (r) => {
        if (!noHistory) await persist(dir, r);
        emit(p, r);
      },
    });
    return summary.lastExit;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    backend.close();
  }
}

async function scheduleMain(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(scheduleSpec, args);
  if (!p) return EXIT.OK;
  const [action, ...extra] = p.positionals;
  if (!["install", "remove", "show"].includes(action ?? "") || extra.length) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "usage: memoryoss relief schedule install|remove|show [--every 30m] [--print]",
    );
  }
  const every = parseDuration(strValue(p.values.every) ?? "30m", "every");
  if (every < 60_000 || every > 86_400_000) {
    throw new MemoryossError("INVALID_INPUT", "--every must be between 1m and 24h");
  }
  const loaded = await loadConfig({ configPath: g.config, init: false });
  const ctx: ScheduleContext = {
    os: Deno.build.os,
    env: (k) => Deno.env.get(k),
    home: loaded.home,
    program: {
      execPath: Deno.execPath(),
      mainModule: Deno.mainModule,
      config: g.config,
      os: Deno.build.os,
    },
    now: new Date(),
  };
  const print = !!p.values.print;
  let out: Record<string, unknown>;
  if (action === "install") {
    const plan = planInstall(ctx, every, tierOf(p));
    if (!print) await applyInstall(plan);
    out = { action, written: !print, ...plan };
  } else if (action === "remove") {
    out = { action, ...(await removeSchedule(ctx, print)), written: !print };
  } else {
    const shown = await showSchedule(ctx);
    out = {
      action,
      ...shown,
      would_install: print ? planInstall(ctx, every, tierOf(p)) : undefined,
    };
  }
  if (p.values.json) printJson(out);
  else console.log(renderScheduleText(out));
  return EXIT.OK;
}

async function historyMain(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(historySpec, args);
  if (!p) return EXIT.OK;
  noPositionals(p, "relief history");
  const n = intValue(p.values.n, "n", 1) ?? 20;
  const entries = await readHistory(await reliefDir(g), n);
  if (p.values.json) {
    printJson(entries);
    return EXIT.OK;
  }
  if (!entries.length) console.log("no relief runs recorded yet");
  for (const e of entries) console.log(historyLine(e));
  return EXIT.OK;
}
