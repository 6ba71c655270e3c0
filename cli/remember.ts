/**
 * CLI: `remember` (queue a fact: one INSERT, no embedding, no network) and `drain` (apply the
 * queue with reconciliation). Each calls one lib/memory function.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { encryptionFromConfig, Store } from "../lib/store/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  listValue,
  MEMORY_FIELD_OPTIONS,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { contentArg, withRuntime } from "./_runtime.ts";
import { drain, enqueueRemember } from "../lib/memory/mod.ts";
import { refuseWhileStopped } from "../lib/scheduler/mod.ts";

const JSON_OUT = JSON_OPTION;

const rememberSpec: CommandSpec = {
  name: "remember",
  summary: "queue a fact for the next drain (fast: no embedding, no network)",
  usage: ["remember [options] TEXT…", "remember [options] -    (content from stdin)"],
  options: {
    namespace: NAMESPACE_OPTION,
    ...MEMORY_FIELD_OPTIONS,
    json: JSON_OUT,
  },
  notes: [
    "The fact is recallable after 'memoryoss drain' applies it (reconciled against similar",
    "memories: added, updated, superseded or merged as a duplicate).",
  ],
  examples: [
    'memoryoss remember --namespace demo --category decision "Deploys need staging signoff."',
  ],
};

async function rememberCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(rememberSpec, args);
  if (!p) return 0;
  const v = p.values;
  const content = await contentArg(p.positionals);
  const input = stripUndefined({
    content,
    namespace: namespaceValue(v.namespace),
    category: strValue(v.category),
    tags: listValue(v.tags),
    agent: strValue(v.agent),
    session: strValue(v.session),
  });
  // The hot path: config, open the database, one INSERT. No runtime, no embedder.
  const loaded = await loadConfig({ configPath: g.config });
  refuseWhileStopped(loaded.home, "remember");
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
  });
  let res;
  try {
    res = enqueueRemember(store, loaded.config, input);
  } finally {
    store.close();
  }
  if (v.json) printJson(res);
  else console.log(`queued #${res.queue_id} in ${res.namespace}`);
  return 0;
}

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
        ` ${res.queue.failed} failed`,
    );
    for (const f of res.failed) console.error(`item ${f.queue_id}: ${f.error}`);
  }
  return res.failed.length > 0 ? 1 : 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  remember: rememberCmd,
  drain: drainCmd,
};
