/**
 * `memoryoss hook <event>`: one process start, at most one query, a hard time budget, and
 * silence on any failure. A hook must never break or stall the agent, so every error and a
 * blown budget both end in "print nothing".
 */
import { join, resolve } from "node:path";
import { type EnvGet, loadConfig, resolveHome } from "../config/mod.ts";
import {
  DEFAULT_NAMESPACE,
  listMemories,
  openRuntime,
  recall,
  type Runtime,
} from "../memory/mod.ts";
import {
  type HookEvent,
  type HookMemory,
  hookOutput,
  parseTurn,
  PLAN_EXIT_TEXT,
  primeContext,
  promptContext,
  stopReason,
  taskContext,
} from "./hook_text.ts";

/** Default time budget; Claude's own timeout for our hooks is 10 s. */
export const HOOK_BUDGET_MS = 3000;
/** Recall hits below this score are noise for an unasked-for injection. */
const MIN_SCORE = 0.3;

/** Options for {@link runHook}. */
export interface HookOptions {
  event: HookEvent;
  /** The JSON Claude Code wrote on stdin (already parsed; {} when none). */
  input: Record<string, unknown>;
  env: EnvGet;
  home?: string;
  config?: string;
  namespace?: string;
  budgetMs?: number;
}

/**
 * What the hook prints ("" for nothing). Never throws and never takes longer than the budget.
 *
 * @example
 * ```ts
 * const out = await runHook({ event: "stop", input: { stop_hook_active: true }, env });
 * ```
 */
export async function runHook(opts: HookOptions): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<string>((r) => {
    timer = setTimeout(() => r(""), opts.budgetMs ?? HOOK_BUDGET_MS);
  });
  try {
    return await Promise.race([work(opts).catch(() => ""), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function work(o: HookOptions): Promise<string> {
  const env: EnvGet = (k) => (k === "MEMORYOSS_HOME" && o.home ? o.home : o.env(k));
  const home = resolve(resolveHome(env));
  const session = safeId(o.input.session_id);
  const namespace = o.namespace ?? DEFAULT_NAMESPACE;
  switch (o.event) {
    case "pre-compact": {
      const dir = join(home, "hooks");
      await Deno.mkdir(dir, { recursive: true });
      const trigger = typeof o.input.trigger === "string" ? o.input.trigger : "auto";
      await Deno.writeTextFile(join(dir, `compact-${session}.json`), JSON.stringify({ trigger }));
      return "";
    }
    case "session-start": {
      const compacted = await takeCompactFlag(home, session, o.input.source);
      const page = await withRuntime(
        env,
        o.config,
        (rt) => listMemories(rt, { namespace, status: ["active"], limit: 5 }),
      );
      const recent = page?.memories.map((m) => ({ id: m.id, content: m.content })) ?? [];
      return hookOutput(
        "session-start",
        primeContext({ namespace, total: page?.total ?? 0, recent, compacted }),
      );
    }
    case "prompt-submit": {
      const prompt = typeof o.input.prompt === "string" ? o.input.prompt : "";
      const hits = prompt.trim().length >= 3
        ? await search(env, o.config, namespace, prompt, 3)
        : [];
      return hookOutput("prompt-submit", promptContext(hits));
    }
    case "pre-task": {
      const t = (o.input.tool_input ?? {}) as Record<string, unknown>;
      const query = [t.description, t.prompt].filter((s) => typeof s === "string").join(" ");
      if (query.trim().length < 3) return "";
      const text = taskContext(await search(env, o.config, namespace, query, 5));
      return text ? hookOutput("pre-task", text) : "";
    }
    case "pre-plan-exit":
      return hookOutput("pre-plan-exit", PLAN_EXIT_TEXT);
    case "stop": {
      const active = o.input.stop_hook_active === true;
      if (active) return "";
      const tail = await readTail(o.input.transcript_path, 512 * 1024);
      const reason = stopReason(active, tail === null ? null : parseTurn(tail));
      return reason ? hookOutput("stop", reason) : "";
    }
  }
}

/** A session id usable in a file name. */
function safeId(v: unknown): string {
  return typeof v === "string" && v ? v.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100) : "none";
}

/** The compaction trigger noted by pre-compact (consumed), or the source when it says so. */
async function takeCompactFlag(home: string, session: string, source: unknown) {
  const flag = join(home, "hooks", `compact-${session}.json`);
  try {
    const { trigger } = JSON.parse(await Deno.readTextFile(flag));
    await Deno.remove(flag).catch(() => {});
    return typeof trigger === "string" ? trigger : "auto";
  } catch {
    return source === "compact" ? "auto" : null;
  }
}

/** Run `fn` on a runtime, or return null when there is no database yet (never create one). */
async function withRuntime<T>(
  env: EnvGet,
  config: string | undefined,
  fn: (rt: Runtime) => Promise<T> | T,
): Promise<T | null> {
  const loaded = await loadConfig({ configPath: config, env, init: false });
  try {
    await Deno.stat(loaded.dbPath);
  } catch {
    return null;
  }
  const rt = await openRuntime(loaded);
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/** One recall; hybrid, or keyword-only when the embedder cannot run here (e.g. no net). */
async function search(
  env: EnvGet,
  config: string | undefined,
  namespace: string,
  text: string,
  limit: number,
): Promise<HookMemory[]> {
  const query = text.slice(0, 1000);
  const res = await withRuntime(env, config, async (rt) => {
    try {
      return await recall(rt, { query, namespace, limit });
    } catch {
      return await recall(rt, { query, namespace, limit, mode: "bm25" });
    }
  });
  return (res?.memories ?? []).filter((m) => m.score >= MIN_SCORE)
    .map((m) => ({ id: m.id, content: m.content, score: m.score }));
}

/** The last `max` bytes of a file as text, or null. */
async function readTail(path: unknown, max: number): Promise<string | null> {
  if (typeof path !== "string" || !path) return null;
  try {
    using f = await Deno.open(path, { read: true });
    const size = (await f.stat()).size;
    const start = Math.max(0, size - max);
    await f.seek(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let off = 0;
    while (off < buf.length) {
      const n = await f.read(buf.subarray(off));
      if (n === null) break;
      off += n;
    }
    return new TextDecoder().decode(buf.subarray(0, off));
  } catch {
    return null;
  }
}
