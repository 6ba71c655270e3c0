/**
 * CLI: `scheduler` in memman's spelling. `start|stop|status`: stopped means recall-only: every
 * memory write, at every door, is refused with "Scheduler is stopped; cannot <verb>" (exit 1
 * for memman's verbs, else 5; lib/scheduler), and the drain applies nothing; the switch is
 * `<home>/scheduler.state`. `stop` also disables the installed drain trigger (files kept),
 * `start` re-enables it and parks week-old never-tried queue rows as `stale`.
 * `drain --pending`, `trigger`, `serve` drain (scheduler_drain.ts); `queue` lists the remember
 * queue (scheduler_queue.ts); `interval` shows or sets the worker timer's interval.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { MAX_ATTEMPTS } from "../lib/memory/mod.ts";
import { markStale, type SchedulerStateName, setSchedulerState } from "../lib/scheduler/mod.ts";
import { parseDuration } from "../lib/relief/mod.ts";
import { formatJobChange } from "../lib/schedule/mod.ts";
import {
  installWorker,
  switchTrigger,
  type TriggerSwitch,
  workerFiles,
  workerInterval,
} from "../lib/worker/mod.ts";
import { type CommandSpec, intValue, JSON_OPTION, type Parsed } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { runVerbs, type Verb } from "./_subcommands.ts";
import { checkQueueStatus, queue, stateJson, status, withStore } from "./scheduler_queue.ts";
import { withRuntime } from "./_runtime.ts";
import {
  DEFAULT_SERVE_SECONDS,
  drainPending,
  PENDING_ROWS,
  reportRun,
  RUN_DEADLINE_MS,
  serveLoop,
  trigger,
} from "./scheduler_drain.ts";
import { workerContext } from "./worker.ts";

/** What a stopped scheduler refuses, for the help and the `stop` line. */
const REFUSED = "remember, replace, forget, store, update, import, graph link/unlink/rebuild, " +
  "insights protect";

const spec: CommandSpec = {
  name: "scheduler",
  summary: "start or stop writes and the drain (memman's scheduler); drain, serve, queue",
  usage: [
    "scheduler status|start|stop [--json]",
    "scheduler trigger [--json]                     drain now (refused while stopped)",
    "scheduler drain --pending [--json]             one drain run (what memman's timer runs)",
    "scheduler serve [--interval SECONDS] [--json]  drain in a loop (containers)",
    "scheduler queue [--status pending|done|failed|stale] [--limit N] [--json]",
    "scheduler interval [SECONDS] [--dry-run] [--json]",
  ],
  options: {
    pending: { type: "boolean", description: "drain: the pending rows (memman's flag)" },
    interval: {
      type: "string",
      value: "SECONDS",
      description: `serve: seconds between runs (default ${DEFAULT_SERVE_SECONDS}; 0 = continuous)`,
    },
    status: {
      type: "string",
      value: "S",
      description: "queue: pending, done, failed or stale only",
    },
    limit: { type: "string", value: "N", description: "queue: rows shown, newest first (50)" },
    "dry-run": { type: "boolean", description: "interval: show the timer, write nothing" },
    json: JSON_OPTION,
  },
  notes: [
    "stop: recall-only. These writes are refused with 'Scheduler is stopped; cannot <verb>'",
    "(HTTP 403; an MCP tool error): remember, replace, forget, store, update, import,",
    "graph link/unlink/rebuild and insights protect, from the CLI, 'serve' and 'mcp-server'.",
    "Exit 1 (memman's) for remember, replace, forget, graph link/rebuild and insights protect;",
    "exit 5 for our own verbs (store, update, import, graph unlink).",
    "A running drain stops before its next claim; queued facts stay queued. Recall, list,",
    "inspect, export, feedback, review, decay and gc keep working. stop also disables the",
    "installed drain trigger, keeping its files (systemctl --user disable --now",
    "memoryoss-drain.timer; launchctl unload -w; schtasks /Change /DISABLE); start enables it.",
    "start: writes and the drain resume (idempotent); pending rows never attempted and queued",
    "more than 7 days ago become 'stale' (not drained; 'queue --status stale' lists them).",
    "A home without the state file (<home>/scheduler.state) counts as started.",
    `drain --pending / trigger / serve: each run applies up to ${PENDING_ROWS} queued rows and`,
    `claims none after ${
      RUN_DEADLINE_MS / 1000
    } s (memman's limits; 'memoryoss drain' applies all);`,
    "the state file and serve's stop signal are read before each claim of 10 rows; a failed",
    "row ends the run (the next run retries it). Another drain running: exit 0, 'another",
    "drain in progress'. Exit 1 when some rows failed (they are retried). drain --pending",
    "while stopped drains nothing (exit 0); trigger while stopped is refused (exit 5).",
    "serve runs until SIGINT/SIGTERM (exit 0); --interval 0 drains continuously, waiting",
    "100 ms when the queue is empty; it prints a line per run that did something.",
    "queue: rows newest first with memman's columns (id, store, content, status, attempts,",
    "queued_at, claimed_at, last_error, processed_at); status pending, done, failed or stale.",
    "interval: without SECONDS, the installed worker timer's interval; with it (at least 60,",
    "at most 86400; systemd and Task Scheduler count whole minutes), installs or rewrites",
    "the timer as 'memoryoss worker install --interval' does.",
  ],
  examples: [
    "memoryoss scheduler stop            # recall-only; the drain timer is disabled",
    "memoryoss scheduler start --json    # reports stale_marked and the trigger",
    "memoryoss scheduler status --json",
    "memoryoss scheduler trigger",
    "memoryoss scheduler drain --pending --json",
    "memoryoss scheduler serve --interval 0",
    "memoryoss scheduler queue --status failed --json",
    "memoryoss scheduler queue --status stale",
    "memoryoss scheduler interval 300",
  ],
};

/** Which options each verb takes (json goes everywhere). */
const OPTIONS_OF: Record<string, string[]> = {
  drain: ["pending"],
  serve: ["interval"],
  queue: ["status", "limit"],
  interval: ["dry-run"],
};

/** `scheduler [status|start|stop|trigger|drain|serve|queue|interval] …` */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runVerbs(spec, VERB_TABLE, args, g, "status");
}

/** `fn` as the verb `name`, after checking its positionals and options. */
const verb = (name: string, fn: Verb): Verb => (p, rest, g) => {
  checkVerb(name, rest, p);
  return fn(p, rest, g);
};

const loadedOf = (g: Globals) => loadConfig({ configPath: g.config });

const VERB_TABLE: Record<string, Verb> = {
  status: verb("status", async (p, _r, g) => status(await loadedOf(g), Boolean(p.values.json))),
  start: verb(
    "start",
    async (p, _r, g) => await switchState(g, await loadedOf(g), true, isJson(p)),
  ),
  stop: verb("stop", async (p, _r, g) => await switchState(g, await loadedOf(g), false, isJson(p))),
  trigger: verb("trigger", (p, _r, g) => withRuntime(g, (rt) => trigger(rt, isJson(p)))),
  drain: verb(
    "drain",
    (p, _r, g) => withRuntime(g, async (rt) => reportRun(await drainPending(rt), isJson(p))),
  ),
  serve: verb(
    "serve",
    (p, _r, g) => withRuntime(g, (rt) => serveLoop(rt, serveSeconds(p.values.interval), isJson(p))),
  ),
  queue: verb("queue", async (p, _r, g) => {
    const st = checkQueueStatus(p.values.status);
    const limit = intValue(p.values.limit, "limit", 1) ?? 50;
    return queue(await loadedOf(g), st, limit, isJson(p));
  }),
  interval: verb(
    "interval",
    (p, rest, g) => interval(g, rest[0], Boolean(p.values["dry-run"]), isJson(p)),
  ),
};

const isJson = (p: Parsed) => Boolean(p.values.json);

/**
 * `start`/`stop`: start parks week-old never-tried rows as stale first (a stopped drain applies
 * nothing meanwhile), then the state file, then the installed trigger is enabled/disabled.
 */
async function switchState(
  g: Globals,
  loaded: Awaited<ReturnType<typeof loadConfig>>,
  start: boolean,
  json: boolean,
): Promise<number> {
  const stale = start ? withStore(loaded, (s) => markStale(s, new Date(), MAX_ATTEMPTS)) : null;
  const res = setSchedulerState(loaded.home, start ? "started" : "stopped");
  const trig = await triggerOf(g, start);
  if (json) {
    printJson(stateJson(res, {
      previous: res.previous,
      changed: res.changed,
      ...(start ? { stale_marked: stale } : {}),
      trigger: trig,
    }));
    return 0;
  }
  console.log(switchLine(res.state, res.changed));
  if (stale) console.log(`${stale} queued row(s) never attempted in 7 days marked stale`);
  console.log(triggerLine(trig));
  if (trig.installed && !trig.ok) {
    const bad = trig.steps.find((s) => s.outcome !== "ran");
    console.error(
      `warning: ${bad?.message ?? "the scheduler command did not run"}; run by hand: ` +
        trig.commands.map((c) => c.join(" ")).join(" && "),
    );
  }
  return 0;
}

/** The installed trigger switched; on an OS without a known scheduler, none is installed. */
async function triggerOf(g: Globals, enabled: boolean): Promise<TriggerSwitch> {
  try {
    return await switchTrigger(await workerContext(g), enabled);
  } catch (e) {
    if (e instanceof MemoryossError && e.code === "UNAVAILABLE") {
      return { installed: false, enabled, commands: [], steps: [], ok: true };
    }
    throw e;
  }
}

function triggerLine(t: TriggerSwitch): string {
  const verb = t.enabled ? "enable" : "disable";
  if (!t.installed) {
    return `no drain trigger installed ('memoryoss worker install' installs one); nothing to ${verb}`;
  }
  const cmd = t.commands.map((c) => c.join(" ")).join(" && ");
  return t.ok ? `drain trigger ${verb}d, files kept: ${cmd}` : `drain trigger NOT ${verb}d: ${cmd}`;
}

/** The verb's own positionals and options only, `drain` with memman's `--pending`. */
function checkVerb(sub: string, rest: string[], p: Parsed): void {
  const bad = (msg: string) => new MemoryossError("INVALID_INPUT", msg);
  const most = sub === "interval" ? 1 : 0;
  if (rest.length > most) throw bad(`scheduler ${sub}: unexpected argument '${rest[most]}'`);
  for (const [verb, opts] of Object.entries(OPTIONS_OF)) {
    for (const o of opts) {
      if (verb !== sub && p.values[o] !== undefined) {
        throw bad(`--${o} is only for 'scheduler ${verb}'`);
      }
    }
  }
  if (sub === "drain" && !p.values.pending) {
    throw bad("usage: memoryoss scheduler drain --pending (to drain everything: memoryoss drain)");
  }
}

/** `--interval` of serve: whole seconds ≥ 0 (memman), or a duration like 5m. */
function serveSeconds(v: unknown): number {
  if (v === undefined) return DEFAULT_SERVE_SECONDS;
  if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v.trim());
  return parseDuration(String(v), "interval") / 1000;
}

function switchLine(state: SchedulerStateName, changed: boolean): string {
  const already = changed ? "" : " (already)";
  return state === "stopped"
    ? `scheduler stopped${already}: recall only; ${REFUSED} are refused until ` +
      "'memoryoss scheduler start'"
    : `scheduler started${already}: writes and the drain run`;
}

/** `scheduler interval [SECONDS]`: show, or (re)install the worker timer with it. */
async function interval(
  g: Globals,
  value: string | undefined,
  dry: boolean,
  json: boolean,
): Promise<number> {
  const ctx = await workerContext(g);
  if (value === undefined) {
    if (dry) throw new MemoryossError("INVALID_INPUT", "--dry-run goes with a new interval");
    const ms = await workerInterval(ctx);
    const files = await workerFiles(ctx);
    if (json) {
      printJson({ installed: files.length > 0, interval_seconds: ms === null ? null : ms / 1000 });
    } else {
      console.log(
        ms === null
          ? "no drain timer installed ('memoryoss scheduler interval 60' installs one)"
          : `drain timer every ${ms / 1000}s`,
      );
    }
    return 0;
  }
  const seconds = /^\d+$/.test(value.trim())
    ? Number(value.trim())
    : parseDuration(value, "interval") / 1000;
  if (seconds < 60 || seconds > 86_400) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `interval must be 60 to 86400 seconds for the systemd/launchd timer, got ${value} ` +
        "(scheduler serve --interval takes any value ≥ 0)",
    );
  }
  const res = await installWorker(ctx, seconds * 1000, dry);
  if (json) printJson({ interval_seconds: seconds, ...res });
  else console.log(`${formatJobChange(res, "worker")}\ninterval: ${seconds}s`);
  return 0;
}
