/**
 * Helpers for end-to-end tests that run the real CLI (`main.ts`) as a child process against a
 * throw-away MEMORYOSS_HOME.
 */
import assert from "node:assert/strict";

/** Absolute path of the CLI entry point. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** What one CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not JSON). */
  json<T = Json>(): T;
}

/** Extra knobs for {@link cliWith}. */
export interface CliOptions {
  /** Text (or raw bytes) written to the child's stdin (stdin is "null" when absent). */
  stdin?: string | Uint8Array;
  /** Extra environment variables (MEMORYOSS_HOME and NO_COLOR are always set). */
  env?: Record<string, string>;
  cwd?: string;
}

/** Parsed JSON output; tests index into it freely. */
// deno-lint-ignore no-explicit-any
export type Json = any;

const decoder = new TextDecoder();

/** Run `memoryoss ARGS…` with MEMORYOSS_HOME=home. */
export function cli(home: string, ...args: string[]): Promise<CliResult> {
  return cliWith(home, {}, ...args);
}

/** Run `memoryoss ARGS…` with MEMORYOSS_HOME=home, optional stdin, env and cwd. */
export async function cliWith(
  home: string,
  opts: CliOptions,
  ...args: string[]
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1", ...opts.env },
    cwd: opts.cwd,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Collect output while writing stdin: a child that exits (or fills its stdout pipe) before
  // reading all of stdin must not leave the write waiting forever.
  const pending = child.output();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    try {
      const bytes = typeof opts.stdin === "string"
        ? new TextEncoder().encode(opts.stdin)
        : opts.stdin;
      await w.write(bytes);
    } catch { /* the child closed stdin early; its output says why */ }
    await w.close().catch(() => {});
  }
  const out = await pending;
  const stdout = decoder.decode(out.stdout);
  const stderr = decoder.decode(out.stderr);
  return {
    code: out.code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(
          `stdout is not JSON (exit ${out.code}):\n${stdout}\n--- stderr ---\n${stderr}`,
        );
      }
    },
  };
}

/** Describe a result for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Assert the exit code, printing both streams when it differs. */
export function assertExit(r: CliResult, code: number): void {
  assert.equal(r.code, code, show(r));
}

/** Assert success and return the parsed JSON stdout. */
export function okJson<T = Json>(r: CliResult): T {
  assertExit(r, 0);
  return r.json<T>();
}

/** No JavaScript stack trace ("    at …" lines) anywhere in the output. */
export function assertNoStack(r: CliResult): void {
  for (const text of [r.stderr, r.stdout]) {
    assert.ok(!/^\s+at /m.test(text), `stack trace in output:\n${show(r)}`);
  }
}

/** A user mistake: exit `code`, no stack trace, not reported as an internal error. */
export function assertUserError(r: CliResult, code: number): void {
  assertExit(r, code);
  assertNoStack(r);
  assert.ok(!/internal error/.test(r.stderr), `reported as an internal error:\n${show(r)}`);
  assert.ok(r.stderr.startsWith("memoryoss: error: "), show(r));
}

/** stderr is exactly one non-empty line. */
export function assertOneLineError(r: CliResult): void {
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected a one-line error:\n${show(r)}`);
  assert.ok(lines[0].length > 0, show(r));
}

/** A fresh temp home; removed after `fn`, whatever happens. */
export async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-e2e-" });
  try {
    return await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

/** `store --json …` and return the result (asserting exit 0). */
export async function storeJson(
  home: string,
  ...args: string[]
): Promise<{ id: string; version: number; outcome: string; [k: string]: unknown }> {
  return okJson(await cli(home, "store", "--json", ...args));
}

/** `list --json` for a namespace (every memory, any status). */
export async function listAll(
  home: string,
  namespace: string,
  ...extra: string[]
): Promise<{ namespace: string; total: number; offset: number; memories: Json[] }> {
  return okJson(await cli(home, "list", "--namespace", namespace, "--json", ...extra));
}
