/** Output helpers: JSON to stdout, errors as one line on stderr, progress on a terminal. */
import { exitCodeFor, MemoryossError } from "../lib/errors/mod.ts";

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
 * 3 invalid input/config, 4 not found/conflict, 5 forbidden, 2 other failures.
 */
export function reportError(e: unknown, json = false): number {
  if (e instanceof MemoryossError) {
    if (json) {
      console.error(JSON.stringify({ error: { code: e.code, message: e.message, path: e.path } }));
    } else console.error(`memoryoss: error: ${e.message}`);
    return exitCodeFor(e.code);
  }
  if (e instanceof Deno.errors.NotCapable) {
    console.error(`memoryoss: error: permission denied: ${(e as Error).message}`);
    return 2;
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`memoryoss: internal error: ${msg}`);
  if (Deno.env.get("MEMORYOSS_DEBUG") && e instanceof Error) console.error(e.stack);
  return 2;
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
