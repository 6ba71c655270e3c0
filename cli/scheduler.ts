/**
 * CLI: `scheduler` in memman's spelling. `start|stop|status`: stopped means recall-only: every
 * memory write, at every door, is refused with "Scheduler is stopped; cannot <verb>" (exit 1
 * for memman's verbs, else 5; lib/scheduler), and the drain applies nothing; the switch is
 * `<home>/scheduler.state`. `drain --pending`, `trigger`, `serve` drain (scheduler_drain.ts);
 * `queue` lists the remember queue; `interval` shows or sets the worker timer's interval.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { lastDrainRun, listQueue, type QueueRow, queueStats } from "../lib/memory/mod.ts";
import {
  readSchedulerState,
  type SchedulerState,
  type SchedulerStateName,
  setSchedulerState,
} from "../lib/scheduler/mod.ts";
import { encryptionFromConfig, Store } from "../lib/store/mod.ts";
import { parseDuration } from "../lib/relief/mod.ts";
import { formatJobChange } from "../lib/schedule/mod.ts";
import { installWorker, workerFiles, workerInterval } from "../lib/worker/mod.ts";
import { type CommandSpec, intValue, JSON_OPTION, parseCommand, type Parsed } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import {
  DEFAULT_SERVE_SECONDS,
  drainPending,
  PENDING_ROWS,
  reportRun,
  serveLoop,
  trigger,
} from "./scheduler_drain.ts";
import { workerContext } from "./worker.ts";

/** What a stopped scheduler refuses, for the help and the `stop` line. */
const REFUSED = "remember, replace, store, update, import, forget, graph link/unlink/rebuild, " +
  "insights protect";

const VERBS = ["status", "start", "stop", "trigger", "drain", "serve", "queue", "interval"];

const spec: CommandSpec = {
  name: "scheduler",
  summary: "start or stop writes and the drain (memman's scheduler); drain, serve, queue",
  usage: [
    "scheduler status|start|stop [--json]",
    "scheduler trigger [--json]                     drain now (refused while stopped)",
    "scheduler drain --pending [--json]             one drain run (what memman's timer runs)",
    "scheduler serve [--interval SECONDS] [--json]  drain in a loop (containers)",
    "scheduler queue [--status pending|done|failed] [--limit N] [--json]",
    "scheduler interval [SECONDS] [--dry-run] [--json]",
  ],
  options: {
    pending: { type: "boolean", description: "drain: the pending rows (memman's flag)" },
    interval: {
      type: "string",
      value: "SECONDS",
      description: `serve: seconds between runs (default ${DEFAULT_SERVE_SECONDS}; 0 = continuous)`,
    },
    status: { type: "string", value: "S", description: "queue: pending, done or failed only" },
    limit: { type: "string", value: "N", description: "queue: rows shown, newest first (50)" },
    "dry-run": { type: "boolean", description: "interval: show the timer, write nothing" },
    json: JSON_OPTION,
  },
  notes: [
    "stop: recall-only. These writes are refused with 'Scheduler is stopped; cannot <verb>'",
    "(HTTP 403; an MCP tool error): remember, replace, store, update, import, forget,",
    "graph link/unlink/rebuild and insights protect, from the CLI, 'serve' and 'mcp-server'.",
    "Exit 1 (memman's) for remember, replace, graph link/rebuild and insights protect; exit 5",
    "for the others (forget's and import's exit 1 means 'partly done').",
    "A running drain stops before its next batch; queued facts stay queued. Recall, list,",
    "inspect, export, feedback, review, decay and gc keep working.",
    "start: writes and the drain resume (idempotent). A home without the state file",
    "(<home>/scheduler.state) counts as started.",
    `drain --pending / trigger / serve: each run applies up to ${PENDING_ROWS} queued rows`,
    "(memman's limit; 'memoryoss drain' applies all). Another drain running: exit 0, 'another",
    "drain in progress'. Exit 1 when some rows failed (they are retried). drain --pending",
    "while stopped drains nothing (exit 0); trigger while stopped is refused (exit 5).",
    "serve runs until SIGINT/SIGTERM (exit 0); --interval 0 drains continuously, waiting",
    "100 ms when the queue is empty; it prints a line per run that did something.",
    "queue: rows newest first with memman's columns (id, store, content, status, attempts,",
    "queued_at, claimed_at, last_error, processed_at).",
    "interval: without SECONDS, the installed worker timer's interval; with it (at least 60,",
    "at most 86400; systemd and Task Scheduler count whole minutes), installs or rewrites",
    "the timer as 'memoryoss worker install --interval' does.",
  ],
  examples: [
    "memoryoss scheduler stop",
    "memoryoss scheduler status --json",
    "memoryoss scheduler trigger",
    "memoryoss scheduler drain --pending --json",
    "memoryoss scheduler serve --interval 0",
    "memoryoss scheduler queue --status failed --json",
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

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  const [sub = "status", ...rest] = p.positionals;
  checkVerb(sub, rest, p);
  const json = Boolean(p.values.json);
  switch (sub) {
    case "trigger":
      return await withRuntime(g, (rt) => trigger(rt, json));
    case "drain":
      return await withRuntime(g, async (rt) => reportRun(await drainPending(rt), json));
    case "serve":
      return await withRuntime(g, (rt) => serveLoop(rt, serveSeconds(p.values.interval), json));
    case "queue":
      return await queue(g, p, json);
    case "interval":
      return await interval(g, rest[0], Boolean(p.values["dry-run"]), json);
  }
  const loaded = await loadConfig({ configPath: g.config });
  if (sub === "status") return status(loaded, json);
  const res = setSchedulerState(loaded.home, sub === "start" ? "started" : "stopped");
  if (json) printJson(stateJson(res, { previous: res.previous, changed: res.changed }));
  else console.log(switchLine(res.state, res.changed));
  return 0;
}

/** A known verb, its own options only, `drain` with memman's `--pending`. */
function checkVerb(sub: string, rest: string[], p: Parsed): void {
  const bad = (msg: string) => new MemoryossError("INVALID_INPUT", msg);
  if (!VERBS.includes(sub) || rest.length > (sub === "interval" ? 1 : 0)) {
    throw bad(`unknown scheduler command '${p.positionals.join(" ")}' (${VERBS.join(" | ")})`);
  }
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

function stateJson(s: SchedulerState, extra: Record<string, unknown> = {}) {
  return {
    state: s.state,
    since: s.since,
    source: s.source,
    state_file: s.path,
    ...(s.problem ? { problem: s.problem } : {}),
    ...extra,
  };
}

/** The state plus the queue it governs and the last drain. */
function status(loaded: Awaited<ReturnType<typeof loadConfig>>, json: boolean): number {
  const s = readSchedulerState(loaded.home);
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
  });
  let queue, last;
  try {
    queue = queueStats(store);
    last = lastDrainRun(store);
  } finally {
    store.close();
  }
  if (json) {
    printJson(stateJson(s, { queue, last_drain: last }));
    return 0;
  }
  const since = s.since ? ` since ${s.since}` : " (no state file: the default)";
  console.log(`scheduler ${s.state}${since}`);
  if (s.problem) console.error(`warning: ${s.problem}; 'memoryoss scheduler start' rewrites it`);
  console.log(`queue: ${queue.pending} pending, ${queue.failed} failed, ${queue.done} done`);
  console.log(
    last
      ? `last drain: ${last.finished_at} (${last.outcome}, ${last.processed} processed)`
      : "last drain: never",
  );
  return 0;
}

/** `scheduler queue`: the remember queue's rows, newest first. */
async function queue(g: Globals, p: Parsed, json: boolean): Promise<number> {
  const st = p.values.status;
  if (st !== undefined && !["pending", "done", "failed"].includes(String(st))) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--status takes pending, done or failed, got '${st}'`,
      ["status"],
    );
  }
  const limit = intValue(p.values.limit, "limit", 1) ?? 50;
  const loaded = await loadConfig({ configPath: g.config });
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
  });
  let rows: QueueRow[], stats;
  try {
    rows = listQueue(store, { status: st as QueueRow["status"] | undefined, limit });
    stats = queueStats(store);
  } finally {
    store.close();
  }
  if (json) {
    printJson({ queue: stats, items: rows });
    return 0;
  }
  console.log(`queue: ${stats.pending} pending, ${stats.failed} failed, ${stats.done} done`);
  for (const r of rows) {
    const text = (r.content ?? "(sealed)").replace(/\s+/g, " ");
    const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    console.log(
      `#${r.id} ${r.status} ${r.store} ${r.queued_at} tries ${r.attempts}: ${short}` +
        (r.last_error ? ` [${r.last_error.split("\n")[0]}]` : ""),
    );
  }
  return 0;
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
