/** CLI: `drain` (apply the queue `remember` fills, with reconciliation): one lib/memory call. */
import { MemoryossError } from "../lib/errors/mod.ts";
import { drain } from "../lib/memory/mod.ts";
import { type CommandSpec, intValue, JSON_OPTION, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

const JSON_OUT = JSON_OPTION;

const drainSpec: CommandSpec = {
  name: "drain",
  summary: "apply remembered facts: reconcile each with its nearest memories",
  usage: ["drain [--once] [--batch N] [--json]"],
  options: {
    once: { type: "boolean", description: "process one batch, then stop" },
    batch: { type: "string", value: "N", description: "items per batch (default 64)" },
    json: JSON_OUT,
  },
  notes: [
    "One drain runs at a time; a second one exits 0 with 'another drain in progress'.",
    "Each fact becomes ADD (new), UPDATE (same subject, changed value: the old memory is",
    "archived as superseded), DELETE (contradiction: the old memory is archived as",
    "superseded) or NONE (duplicate: evidence merged). Exit 1 when some items failed.",
    "A fact queued with `remember --no-reconcile` is added as written: no model rewrite,",
    "no reconciliation (memman's hint).",
    "Then it writes the graph links of memories added by `import` since the last drain.",
  ],
  examples: ["memoryoss drain --json", "memoryoss drain --once --batch 16"],
};

async function drainCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(drainSpec, args);
  if (!p) return 0;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "drain takes no arguments");
  }
  const batch = intValue(p.values.batch, "batch", 1);
  const res = await withRuntime(g, (rt) => drain(rt, { batch, once: Boolean(p.values.once) }));
  if (p.values.json) printJson(res);
  else if (res.lock === "busy") console.log("another drain in progress; nothing done");
  else if (res.scheduler === "stopped" && res.processed === 0) {
    console.log(`scheduler is stopped; nothing drained (${res.queue.pending} pending)`);
  } else {
    const a = res.actions;
    console.log(
      `drained ${res.processed}: ${a.ADD} added, ${a.UPDATE} updated, ${a.DELETE} superseded` +
        ` by contradiction, ${a.NONE} duplicate(s); ${res.queue.pending} pending,` +
        ` ${res.queue.failed} failed` +
        (res.linked ? `; linked ${res.linked} imported memories into the graph` : ""),
    );
    for (const f of res.failed) console.error(`item ${f.queue_id}: ${f.error}`);
  }
  return res.failed.length > 0 ? 1 : 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  drain: drainCmd,
};
