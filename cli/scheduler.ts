/**
 * CLI: `scheduler start|stop|status` (memman's spelling). Stopped means recall-only: every
 * memory write, at every door, is refused with "Scheduler is stopped; cannot <verb>" (exit 5),
 * and the drain applies nothing. The switch is `<home>/scheduler.state` (lib/scheduler).
 */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { lastDrainRun, queueStats } from "../lib/memory/mod.ts";
import {
  readSchedulerState,
  type SchedulerState,
  type SchedulerStateName,
  setSchedulerState,
} from "../lib/scheduler/mod.ts";
import { encryptionFromConfig, Store } from "../lib/store/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

/** What a stopped scheduler refuses, for the help and the `stop` line. */
const REFUSED = "remember, replace, store, update, import, forget, graph link/unlink/rebuild, " +
  "insights protect";

const spec: CommandSpec = {
  name: "scheduler",
  summary: "start or stop writes and the drain (memman's scheduler); status",
  usage: ["scheduler status [--json]", "scheduler start [--json]", "scheduler stop [--json]"],
  options: { json: JSON_OPTION },
  notes: [
    "stop: recall-only. These writes are refused with 'Scheduler is stopped; cannot <verb>'",
    "(exit 5; HTTP 403; an MCP tool error): remember, replace, store, update, import, forget,",
    "graph link/unlink/rebuild and insights protect, from the CLI, 'serve' and 'mcp-server'.",
    "A running drain stops before its next batch; queued facts stay queued. Recall, list,",
    "inspect, export, feedback, review, decay and gc keep working.",
    "start: writes and the drain resume (idempotent). A home without the state file",
    "(<home>/scheduler.state) counts as started. 'memoryoss drain' is memman's",
    "'scheduler trigger'; 'memoryoss worker' installs the periodic drain.",
  ],
  examples: [
    "memoryoss scheduler stop",
    "memoryoss scheduler status --json",
    "memoryoss scheduler start",
  ],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  const [sub = "status", ...rest] = p.positionals;
  if (!["status", "start", "stop"].includes(sub) || rest.length) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown scheduler command '${p.positionals.join(" ")}' (status | start | stop; ` +
        "to drain now: memoryoss drain)",
    );
  }
  const loaded = await loadConfig({ configPath: g.config });
  if (sub === "status") return status(loaded, Boolean(p.values.json));
  const res = setSchedulerState(loaded.home, sub === "start" ? "started" : "stopped");
  if (p.values.json) printJson(stateJson(res, { previous: res.previous, changed: res.changed }));
  else console.log(switchLine(res.state, res.changed));
  return 0;
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
