/**
 * CLI: relief — Memoria-style RAM relief. `relief [--snap] [--tier …]`, `relief auto`,
 * `relief schedule install|remove|show`, `relief history`, `relief state`. Exit codes are
 * relief's own contract: 0 ok, 1 partial, 2 failure, 3 invalid arguments. JSON follows
 * Memoria's schema 1.0 (docs/relief.md); the guard settings persist in state.json.
 */
import { join } from "node:path";
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  appendHistory,
  applyInstall,
  type Backend,
  emptyState,
  EXIT,
  formatDuration,
  type GuardSettings,
  historyEntry,
  historyLine,
  loadState,
  openBackend,
  parseDuration,
  planInstall,
  readHistory,
  type ReliefOptions,
  type ReliefReport,
  type ReliefState,
  removeSchedule,
  renderScheduleText,
  renderStateText,
  renderText,
  runAuto,
  runRelief,
  runSnapshot,
  saveState,
  type ScheduleContext,
  showSchedule,
  type SnapshotReport,
  STATE_FILE,
  systemClock,
  type Tier,
  TIERS,
  withLastRun,
  withSettings,
} from "../lib/relief/mod.ts";
import { intValue, listValue, parseCommand, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson, reportError } from "./_io.ts";
import { machineContext } from "./_machine.ts";
import { lookup } from "./_subcommands.ts";
import { autoSpec, historySpec, reliefSpec, scheduleSpec, stateSpec } from "./_relief_specs.ts";

/** `relief auto|schedule|history|state`; without one of them, `relief` itself runs. */
const SUBS: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  auto: autoMain,
  schedule: scheduleMain,
  history: historyMain,
  state: stateMain,
};

/** Entry point: returns relief's exit code (0 ok, 1 partial, 2 failure, 3 invalid args). */
export async function main(args: string[], g: Globals): Promise<number> {
  const json = args.includes("--json") || args.includes("--compact");
  try {
    const sub = lookup(SUBS, args[0]);
    return sub ? await sub(args.slice(1), g) : await reliefMain(args, g);
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

/** The guard settings given on the command line (undefined = keep the saved one). */
function settingsFlags(p: Parsed): GuardSettings {
  const on = !!p.values["exclude-foreground"], off = !!p.values["no-exclude-foreground"];
  if (on && off) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "--exclude-foreground and --no-exclude-foreground contradict each other",
    );
  }
  return {
    excludeForeground: on ? true : off ? false : undefined,
    whitelist: listValue(p.values.whitelist),
  };
}

/** Flags over the saved settings, for one run. */
function guardOptions(p: Parsed, state: ReliefState): Omit<ReliefOptions, "tier"> {
  const s = withSettings(state, settingsFlags(p));
  return {
    whitelist: s.whitelist,
    excludeForeground: s.exclude_foreground_enabled,
    minWsMb: intValue(p.values["min-ws-mb"], "min-ws-mb") ?? 50,
  };
}

const reliefDir = async (g: Globals) =>
  join((await loadConfig({ configPath: g.config, init: false })).home, "relief");

/** Print per --json/--compact/--quiet. */
function emit(p: Parsed, report: ReliefReport | SnapshotReport): void {
  if (p.values.compact) console.log(JSON.stringify(report));
  else if (p.values.json) printJson(report);
  else if (!p.values.quiet) console.log(renderText(report));
}

/**
 * Append history and state (the last run and the settings given) after a cleanup; failures
 * become a note, never an exit code.
 */
async function persist(dir: string, report: ReliefReport, flags: GuardSettings): Promise<void> {
  try {
    await appendHistory(dir, historyEntry(report));
    report.history_persisted = true;
    await saveState(dir, withLastRun(withSettings(await loadState(dir), flags), report));
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
  const flags = settingsFlags(p);
  const dir = await reliefDir(g);
  const opts: ReliefOptions = {
    tier,
    dryRun: !!p.values["dry-run"],
    pids: pids ?? null,
    settleMs: settle ? parseDuration(settle, "settle") : 0,
    ...guardOptions(p, p.values.snap ? emptyState() : await loadState(dir)),
  };
  const backend = openBackend({ reclaimBytes: reclaimMb ? reclaimMb * 1048576 : undefined });
  try {
    if (p.values.snap) {
      emit(p, await runSnapshot(backend));
      return EXIT.OK;
    }
    const report = await runRelief(backend, opts);
    if (!opts.dryRun && !p.values["no-history"]) await persist(dir, report, flags);
    emit(p, report);
    return report.exit_code;
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
  const flags = settingsFlags(p);
  const guard = guardOptions(p, await loadState(dir));
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
      relief: { tier, ...guard },
    }, {
      backend,
      clock: systemClock,
      loadState: () => loadState(dir),
      saveState: (s) => saveState(dir, s),
      onReport: async (r) => {
        if (!noHistory) await persist(dir, r, flags);
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
  const ctx: ScheduleContext = await machineContext(g);
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

async function stateMain(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(stateSpec, args);
  if (!p) return EXIT.OK;
  noPositionals(p, "relief state");
  const flags = settingsFlags(p);
  const dir = await reliefDir(g);
  let state = await loadState(dir);
  if (flags.excludeForeground !== undefined || flags.whitelist !== undefined) {
    state = withSettings(state, flags);
    await saveState(dir, state);
  }
  const path = join(dir, STATE_FILE);
  if (p.values.json) printJson({ ...state, path });
  else console.log(renderStateText(state, path));
  return EXIT.OK;
}
