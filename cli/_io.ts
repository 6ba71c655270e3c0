/** Output helpers: JSON to stdout, errors as one line on stderr, progress on a terminal. */
import { exitCodeFor, MemoryossError, permissionError } from "../lib/errors/mod.ts";

/** Global flags every command receives. */
export interface Globals {
  config?: string;
}

/** Print a value as pretty JSON. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/**
 * Print an error without a stack trace for user mistakes and return the exit code:
 * 3 invalid input/config, 4 not found/conflict, 5 forbidden (also a permission refused by
 * Deno's sandbox or the OS), 2 other failures. `command` names the subcommand in refusals.
 */
export function reportError(e: unknown, json = false, command?: string): number {
  const denied = permissionError(e, command ? `memoryoss ${command}` : undefined);
  if (denied) e = denied;
  if (e instanceof MemoryossError) {
    if (json) {
      console.error(JSON.stringify({ error: { code: e.code, message: e.message, path: e.path } }));
    } else console.error(`memoryoss: error: ${e.message}`);
    // An error may carry a seed tool's own exit code (lib/scheduler: memman's exit 1).
    const own = (e as { exitCode?: unknown }).exitCode;
    return typeof own === "number" ? own : exitCodeFor(e.code);
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`memoryoss: internal error: ${msg}`);
  if (debugging() && e instanceof Error) console.error(e.stack);
  return 2;
}

/** MEMORYOSS_DEBUG is set; false (not a second error) for a command that holds no `env`. */
function debugging(): boolean {
  const q = Deno.permissions.querySync({ name: "env", variable: "MEMORYOSS_DEBUG" });
  return q.state === "granted" && !!Deno.env.get("MEMORYOSS_DEBUG");
}

/** A one-line progress display on stderr, only when stderr is a terminal. */
export function progress(label: string): (done: number, total: number) => void {
  let tty = false;
  try {
    tty = Deno.stderr.isTerminal();
  } catch { /* no stderr */ }
  if (!tty) return () => {};
  const enc = new TextEncoder();
  const start = performance.now();
  return (done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const bar = "#".repeat(Math.floor(pct / 4)).padEnd(25, ".");
    const rate = done / Math.max((performance.now() - start) / 1000, 0.001);
    Deno.stderr.writeSync(
      enc.encode(`\r${label} [${bar}] ${done}/${total} ${pct}% ${rate.toFixed(0)}/s`),
    );
    if (done >= total) Deno.stderr.writeSync(enc.encode("\n"));
  };
}
