/**
 * The optional agent a tick hands the remaining issues to: the prompt, the command line, and a
 * run under a hard timeout (SIGTERM, then SIGKILL after a grace period) with its transcript.
 */
import type { AuditReport } from "./audit.ts";
import { deniedError } from "./denied.ts";

/** Which agent a tick runs. */
export type AgentConfig =
  | {
    kind: "claude";
    /** The claude binary (default `claude`). */
    bin: string;
    model: string | null;
    maxTurns: number;
  }
  | {
    /** Any program: prompt on stdin, context in MEMORYOSS_LANE_* environment variables. */
    kind: "command";
    argv: string[];
  };

/** Tools the claude agent may use: read-only in dry run, plus edits when live. */
export const DRY_RUN_TOOLS = "Read,Glob,Grep,Bash(find:*),Bash(ps:*)";
/** Tools added in live mode. */
export const LIVE_EXTRA_TOOLS = "Write,Edit";

/**
 * The instructions for one tick.
 *
 * @example
 * ```ts
 * agentPrompt("/m", true, report).includes("DRY_RUN: true"); // true
 * ```
 */
export function agentPrompt(root: string, dryRun: boolean, report: AuditReport): string {
  const issues = report.issues.map(({ code, file, line, message, suggestion }) => ({
    code,
    file,
    line,
    message,
    ...(suggestion ? { suggestion } : {}),
  }));
  return [
    "You are tending a Claude Code memory folder (markdown files plus the MEMORY.md index).",
    `MEMORY_ROOT: ${root}`,
    `DRY_RUN: ${dryRun}`,
    "",
    "The deterministic audit found these issues (JSON):",
    JSON.stringify(issues, null, 2),
    "",
    "Rules:",
    dryRun
      ? "- Dry run: read and report only. Change no file."
      : "- Make at most 3 edits in this run; leave the rest for a later tick.",
    "- Never write outside MEMORY_ROOT. Never delete a file: to prune an entry, replace its body",
    "  with `[pruned by memoryoss lane <date>: <reason>]`, prefix its description with `[pruned]`",
    "  and drop its MEMORY.md line.",
    "- feedback and project entries need a line starting `**Why:**` and one starting",
    "  `**How to apply:**`; merge duplicates into the entry that keeps more detail.",
    "- If you see a secret (key, token, password), stop and report it without copying it.",
    "- End with one line: `files=N issues=N applied=N deferred=N — <what you did and why>`.",
  ].join("\n");
}

/** argv, stdin and environment for one agent run. */
export interface AgentInvocation {
  argv: string[];
  stdin: string | null;
  env: Record<string, string>;
}

/**
 * Build the command line. Claude gets the prompt as `-p` and read-only tools in dry run; live
 * it may edit files, with edits accepted by permission mode rather than by skipping every
 * permission check.
 *
 * @example
 * ```ts
 * agentInvocation({ kind: "command", argv: ["./agent.sh"] }, "hi", ctx).stdin; // "hi"
 * ```
 */
export function agentInvocation(
  agent: AgentConfig,
  prompt: string,
  ctx: { root: string; dryRun: boolean; tickId: string; auditPath: string },
): AgentInvocation {
  const env = {
    MEMORYOSS_LANE_ROOT: ctx.root,
    MEMORYOSS_LANE_DRY_RUN: ctx.dryRun ? "1" : "0",
    MEMORYOSS_LANE_TICK_ID: ctx.tickId,
    MEMORYOSS_LANE_AUDIT: ctx.auditPath,
  };
  if (agent.kind === "command") return { argv: agent.argv, stdin: prompt, env };
  const tools = ctx.dryRun ? DRY_RUN_TOOLS : `${DRY_RUN_TOOLS},${LIVE_EXTRA_TOOLS}`;
  const argv = [
    agent.bin,
    "-p",
    prompt,
    "--output-format",
    "stream-json",
    "--verbose",
    "--max-turns",
    String(agent.maxTurns),
    "--allowed-tools",
    tools,
    ...(agent.model ? ["--model", agent.model] : []),
    ...(ctx.dryRun ? [] : ["--permission-mode", "acceptEdits"]),
  ];
  return { argv, stdin: null, env };
}

/** How an agent run ended. */
export interface AgentOutcome {
  /** Exit code, or null when it was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** Stopped by the time limit (or by shutdown). */
  timedOut: boolean;
  /** Why the program could not be started (then nothing ran). */
  startError: string | null;
}

/** Limits and the transcript file of one agent run. */
export interface AgentRunOptions {
  cwd: string;
  timeoutMs: number;
  graceMs: number;
  transcript: string;
  /** Aborting ends the run like a timeout does (used on shutdown). */
  signal?: AbortSignal;
}

/**
 * Run the agent in its own process group so a timeout takes its children down too. Every
 * output line goes to the transcript prefixed `[stdout] ` or `[stderr] `.
 *
 * @example
 * ```ts
 * await runAgent(inv, { cwd: root, timeoutMs: 600_000, graceMs: 10_000, transcript: "/tmp/t.log" });
 * ```
 */
export async function runAgent(inv: AgentInvocation, opts: AgentRunOptions): Promise<AgentOutcome> {
  const log = await Deno.open(opts.transcript, {
    write: true,
    create: true,
    append: true,
    mode: 0o600,
  });
  const enc = new TextEncoder();
  let writes = Promise.resolve();
  const write = (line: string) => {
    writes = writes.then(async () => {
      await log.write(enc.encode(line + "\n"));
    });
  };
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(inv.argv[0], {
      args: inv.argv.slice(1),
      cwd: opts.cwd,
      env: inv.env,
      stdin: inv.stdin === null ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      log.close();
      throw deniedError(e, `start the agent ${inv.argv[0]}`);
    }
    const startError = `cannot start ${inv.argv[0]}: ${(e as Error).message}`;
    write(`[stderr] ${startError}`);
    await writes;
    log.close();
    return { exitCode: null, signal: null, timedOut: false, startError };
  }
  if (inv.stdin !== null) {
    const w = child.stdin.getWriter();
    await w.write(enc.encode(inv.stdin)).catch(() => {});
    await w.close().catch(() => {});
  }
  const pumps = Promise.all([
    pumpLines(child.stdout, (l) => write(`[stdout] ${l}`)),
    pumpLines(child.stderr, (l) => write(`[stderr] ${l}`)),
  ]);
  const killGroup = (sig: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, sig);
    } catch { /* already gone */ }
  };
  let timedOut = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = () => {
    if (timedOut) return;
    timedOut = true;
    killGroup("SIGTERM");
    killTimer = setTimeout(() => killGroup("SIGKILL"), opts.graceMs);
  };
  const timer = setTimeout(terminate, opts.timeoutMs);
  opts.signal?.addEventListener("abort", terminate);
  if (opts.signal?.aborted) terminate();
  const status = await child.status;
  opts.signal?.removeEventListener("abort", terminate);
  clearTimeout(timer);
  clearTimeout(killTimer);
  // After a timeout, whatever is left of the group gets no further grace.
  if (timedOut) killGroup("SIGKILL");
  // A descendant that left the group could hold the pipes open; do not wait on it forever.
  let late: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([pumps, new Promise((r) => late = setTimeout(r, 2000))]);
  clearTimeout(late);
  await writes;
  log.close();
  const exitCode = status.signal ? null : status.code;
  return { exitCode, signal: status.signal, timedOut, startError: null };
}

async function pumpLines(stream: ReadableStream<Uint8Array>, onLine: (l: string) => void) {
  let carry = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (carry + chunk).split("\n");
    carry = parts.pop()!;
    for (const p of parts) onLine(p);
  }
  if (carry) onLine(carry);
}
