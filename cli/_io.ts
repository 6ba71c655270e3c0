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
 * 3 invalid input/config, 4 not found/conflict, 5 forbidden (also a permission refused by
 * Deno's sandbox or the OS), 2 other failures. `command` names the subcommand in refusals.
 */
export function reportError(e: unknown, json = false, command?: string): number {
  const denied = permissionError(e, command);
  if (denied) e = denied;
  if (e instanceof MemoryossError) {
    if (json) {
      console.error(JSON.stringify({ error: { code: e.code, message: e.message, path: e.path } }));
    } else console.error(`memoryoss: error: ${e.message}`);
    return exitCodeFor(e.code);
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

/**
 * A refusal as one FORBIDDEN line: Deno's "Requires read access to "/x", run again with …"
 * becomes "permission denied: memoryoss <command> does not hold read access to "/x"".
 */
function permissionError(e: unknown, command?: string): MemoryossError | null {
  const who = command ? `memoryoss ${command}` : "this command";
  if (e instanceof Deno.errors.NotCapable) {
    const m = /Requires (\S+) access(?: to (.+?))?(?:, run again| \(|$)/.exec(e.message);
    const access = m ? `${m[1]} access${m[2] ? ` to ${m[2]}` : ""}` : e.message.split(",")[0];
    return new MemoryossError(
      "FORBIDDEN",
      `permission denied: ${who} does not hold ${access} (see the permission table in the README)`,
    );
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return new MemoryossError("FORBIDDEN", `permission denied: ${e.message.split("\n")[0]}`);
  }
  return null;
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
