/**
 * memman's drain verbs of `scheduler`: `drain --pending` (what its timer runs), `trigger`
 * (drain now) and `serve` (the loop for containers). Each run keeps memman's limits (lib/scheduler
 * `drainWithin`): at most {@link PENDING_ROWS} rows, no claim after {@link RUN_DEADLINE_MS},
 * the state file and (serve) the stop signal read before each claim; the shared drain lock
 * makes a second run exit 0 with "another drain in progress".
 */
import { drain, type DrainSummary, type Runtime } from "../lib/memory/mod.ts";
import { drainWithin, type LimitedSummary, refuseWhileStopped } from "../lib/scheduler/mod.ts";
import { printJson } from "./_io.ts";

/** memman's limit of rows per drain run. */
export const PENDING_ROWS = 100;
/** memman's deadline of one drain run: no row is claimed after it. */
export const RUN_DEADLINE_MS = 300_000;
/** memman's default trigger interval, and `serve`'s. */
export const DEFAULT_SERVE_SECONDS = 60;
/** With `--interval 0`: the wait after a run that found nothing (memman: 100 ms). */
const IDLE_BACKOFF_MS = 100;

/** One drain run as memman's timer makes it (`signal`: serve's SIGINT/SIGTERM). */
export function drainPending(rt: Runtime, signal?: AbortSignal): Promise<LimitedSummary> {
  return drainWithin((rows) => drain(rt, { batch: rows, once: true }), {
    rows: PENDING_ROWS,
    deadlineMs: RUN_DEADLINE_MS,
    signal,
  });
}

/** The one line a run prints without `--json`. */
export function summaryLine(res: DrainSummary): string {
  if (res.lock === "busy") return "another drain in progress; nothing done";
  if (res.scheduler === "stopped" && res.processed === 0) {
    return `scheduler is stopped; nothing drained (${res.queue.pending} pending)`;
  }
  const a = res.actions;
  const limit = (res as LimitedSummary).limit === "deadline"
    ? ` (stopped claiming after ${RUN_DEADLINE_MS / 1000} s)`
    : "";
  return `drained ${res.processed}${limit}: ${a.ADD} added, ${a.UPDATE} updated, ${a.DELETE} superseded` +
    ` by contradiction, ${a.NONE} duplicate(s); ${res.queue.pending} pending,` +
    ` ${res.queue.failed} failed`;
}

/** Print a run (`--json`: the summary) and give its exit code: 1 when some items failed. */
export function reportRun(res: DrainSummary, json: boolean): number {
  if (json) printJson(res);
  else {
    console.log(summaryLine(res));
    for (const f of res.failed) console.error(`item ${f.queue_id}: ${f.error}`);
  }
  return res.failed.length > 0 ? 1 : 0;
}

/** `scheduler trigger`: drain now; refused while stopped (memman; exit 5, see lib/scheduler). */
export async function trigger(rt: Runtime, json: boolean): Promise<number> {
  refuseWhileStopped(rt.loaded.home, "trigger");
  return reportRun(await drainPending(rt), json);
}

/**
 * `scheduler serve`: drain every `seconds` until SIGINT or SIGTERM (then exit 0). With 0 it
 * drains continuously, waiting 100 ms only after a run that found nothing. A run that throws
 * (the embedder is down) is reported on stderr and the loop goes on. Prints a line (a JSON
 * line with `json`) for each run that applied or failed something.
 */
export async function serveLoop(rt: Runtime, seconds: number, json: boolean): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals = listen(onSignal);
  console.error(
    `scheduler serve: draining ${
      seconds === 0 ? "continuously" : `every ${seconds}s`
    } (up to ${PENDING_ROWS} rows a run); stop with Ctrl-C or SIGTERM`,
  );
  try {
    while (!stop.signal.aborted) {
      let idle = true;
      try {
        const res = await drainPending(rt, stop.signal);
        idle = res.processed === 0 && res.failed.length === 0;
        if (!idle) {
          if (json) console.log(JSON.stringify(res));
          else console.log(summaryLine(res));
          for (const f of res.failed) console.error(`item ${f.queue_id}: ${f.error}`);
        }
      } catch (e) {
        console.error(`memoryoss: error: ${e instanceof Error ? e.message : String(e)}`);
      }
      const wait = seconds > 0 ? seconds * 1000 : idle ? IDLE_BACKOFF_MS : 0;
      await sleep(wait, stop.signal);
    }
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
  console.error("scheduler serve: stopped");
  return 0;
}

function listen(fn: () => void): Deno.Signal[] {
  const wanted: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGINT", "SIGTERM"];
  const held: Deno.Signal[] = [];
  for (const s of wanted) {
    try {
      Deno.addSignalListener(s, fn);
      held.push(s);
    } catch { /* a signal this OS does not offer */ }
  }
  return held;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
