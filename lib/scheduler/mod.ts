/**
 * The scheduler switch (memman's `scheduler start|stop`): `<home>/scheduler.state` holds
 * `started` or `stopped`, read afresh on every check so every process of the home (serve,
 * mcp-server, the CLI, the periodic drain) agrees. Stopped means recall-only: every door that
 * writes memories calls {@link refuseWhileStopped}, and the drain applies nothing.
 *
 * Unlike memman, a missing file counts as started: a home has never needed a `start` before
 * writes. A file holding anything else counts as stopped (fail closed) until `start` rewrites it.
 *
 * @module
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";

/** The two states, spelled as memman writes them. */
export type SchedulerStateName = "started" | "stopped";

/** The state file's name inside the home. */
const SCHEDULER_STATE_FILE = "scheduler.state";

/** What the state file says. */
export interface SchedulerState {
  state: SchedulerStateName;
  /** When the file was last written (RFC3339), null without a file. */
  since: string | null;
  /** `file`: read from the state file; `default`: no file (started). */
  source: "file" | "default";
  path: string;
  /** Set when the file holds neither word (then the state is stopped). */
  problem?: string;
}

/** Path of the state file of `home`. */
function schedulerStatePath(home: string): string {
  return join(home, SCHEDULER_STATE_FILE);
}

/**
 * Read the state of `home` (no cache: another process may have just switched it).
 *
 * @example
 * ```ts
 * readSchedulerState("/home/me/.memoryoss").state; // "started" without a state file
 * ```
 */
export function readSchedulerState(home: string): SchedulerState {
  const path = schedulerStatePath(home);
  let text: string;
  let since: string | null;
  try {
    text = Deno.readTextFileSync(path);
    since = Deno.statSync(path).mtime?.toISOString() ?? null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { state: "started", since: null, source: "default", path };
    }
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
  const word = text.trim();
  if (word === "started" || word === "stopped") return { state: word, since, source: "file", path };
  const problem = `${path} holds ${JSON.stringify(word.slice(0, 40))}, not started or stopped`;
  return { state: "stopped", since, source: "file", path, problem };
}

/**
 * Switch the state (idempotent); the file is replaced atomically, mode 0600.
 *
 * @example
 * ```ts
 * setSchedulerState(home, "stopped").changed; // true the first time, false after
 * ```
 */
export function setSchedulerState(
  home: string,
  state: SchedulerStateName,
): SchedulerState & { changed: boolean; previous: SchedulerStateName } {
  const before = readSchedulerState(home);
  const path = schedulerStatePath(home);
  if (before.source === "file" && before.state === state && !before.problem) {
    return { ...before, changed: false, previous: before.state };
  }
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.mkdirSync(home, { recursive: true, mode: 0o700 });
    Deno.writeTextFileSync(tmp, `${state}\n`, { mode: 0o600 });
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never written */ }
    throw new MemoryossError("IO", `cannot write ${path}: ${(e as Error).message.split(":")[0]}`);
  }
  return {
    ...readSchedulerState(home),
    changed: before.state !== state,
    previous: before.state,
  };
}

/** True when writes are refused and the drain applies nothing. */
export function schedulerStopped(home: string): boolean {
  return readSchedulerState(home).state === "stopped";
}

/**
 * The verbs memman refuses while stopped, with its exit code 1 (memman.md §6 "stop"). `forget`
 * is one of them although its exit 1 also means "some ids not found": the stderr line tells the
 * two apart. Our own verbs (`store`, `update`, `import`, `graph unlink`) keep FORBIDDEN's 5.
 */
const MEMMAN_STOPPED_EXIT_1: readonly string[] = [
  "remember",
  "replace",
  "forget",
  "graph link",
  "graph rebuild",
  "insights protect",
];

/**
 * The refusal of a write while the scheduler is stopped: FORBIDDEN (HTTP 403, an MCP tool
 * error) whose CLI exit code is memman's 1 for the verbs in {@link MEMMAN_STOPPED_EXIT_1} and
 * 5 (FORBIDDEN's) otherwise. `cli/_io.ts` honours `exitCode`.
 */
class SchedulerStoppedError extends MemoryossError {
  readonly verb: string;
  readonly exitCode: number;

  constructor(verb: string) {
    super("FORBIDDEN", `Scheduler is stopped; cannot ${verb}`);
    this.verb = verb;
    this.exitCode = MEMMAN_STOPPED_EXIT_1.includes(verb) ? 1 : 5;
  }
}

/**
 * The one check every write door calls: FORBIDDEN (CLI exit 1 for memman's verbs, else 5;
 * HTTP 403; an MCP tool error) with memman's line "Scheduler is stopped; cannot <verb>" while
 * the scheduler is stopped.
 *
 * @example
 * ```ts
 * refuseWhileStopped(rt.loaded.home, "forget"); // throws only while stopped
 * ```
 */
export function refuseWhileStopped(home: string, verb: string): void {
  if (schedulerStopped(home)) throw new SchedulerStoppedError(verb);
}

export { drainWithin, type LimitedSummary, markStale } from "./run.ts";
