/**
 * CLI: hook — what Claude Code's hooks run. Fast (one process, at most one query), and silent
 * on any failure: it always exits 0 within its time budget so it can never break the agent.
 */
import { HOOK_BUDGET_MS, HOOK_EVENTS, type HookEvent, runHook } from "../lib/setup/mod.ts";
import { type CommandSpec, namespaceValue, parseCommand, strValue } from "./_args.ts";
import type { Globals } from "./_io.ts";

const spec: CommandSpec = {
  name: "hook",
  summary: "answer a Claude Code hook event (run by the hooks 'memoryoss setup' installs)",
  usage: [`hook ${HOOK_EVENTS.join("|")} [--client claude] [--namespace NS] [--home DIR]`],
  options: {
    client: { type: "string", value: "C", description: "client that runs the hook (claude)" },
    namespace: { type: "string", short: "n", value: "NS", description: "namespace to recall" },
    home: { type: "string", value: "DIR", description: "memoryoss home" },
  },
  notes: [
    "Reads the hook's JSON from stdin and prints Claude Code hook JSON (or nothing).",
    `Always exits 0; gives up silently after ${HOOK_BUDGET_MS} ms`,
    "(MEMORYOSS_HOOK_BUDGET_MS). MEMORYOSS_DEBUG=1 prints failures on stderr.",
  ],
};

const MAX_STDIN = 1 << 20;

/** Read stdin (the hook's JSON) up to a size cap; {} when absent or not an object. */
async function readInput(): Promise<Record<string, unknown>> {
  if (Deno.stdin.isTerminal()) return {};
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for await (const c of Deno.stdin.readable) {
    chunks.push(new Uint8Array(c));
    size += c.length;
    if (size > MAX_STDIN) break;
  }
  const v = JSON.parse(await new Blob(chunks).text());
  return v && typeof v === "object" && !Array.isArray(v) ? v : {};
}

function debug(e: unknown): void {
  if (Deno.env.get("MEMORYOSS_DEBUG")) {
    console.error(`memoryoss hook: ${(e as Error)?.message ?? e}`);
  }
}

export async function main(args: string[], g: Globals): Promise<number> {
  try {
    const p = parseCommand(spec, args);
    if (!p) return 0;
    const event = p.positionals[0] as HookEvent;
    if (!HOOK_EVENTS.includes(event) || p.positionals.length !== 1) {
      debug(new Error(`unknown hook event '${p.positionals.join(" ")}'`));
      return 0;
    }
    const budget = Number(Deno.env.get("MEMORYOSS_HOOK_BUDGET_MS")) || HOOK_BUDGET_MS;
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const input = await Promise.race([
      readInput().catch(() => ({})),
      new Promise<Record<string, unknown>>((r) => timer = setTimeout(() => r({}), budget / 3)),
    ]);
    clearTimeout(timer);
    const out = await runHook({
      event,
      input,
      env: (k) => Deno.env.get(k),
      home: strValue(p.values.home),
      config: g.config,
      namespace: namespaceValue(p.values.namespace),
      budgetMs: Math.max(100, budget - (performance.now() - started)),
    });
    if (out) console.log(out);
  } catch (e) {
    debug(e);
  }
  return 0;
}
