/**
 * CLI: `remember` (queue a fact: one INSERT, no embedding, no network; `drain` applies the
 * queue, cli/drain.ts).
 *
 * Start-up is this command's feature (issue 21: ≤ 80 ms as a whole process), so it imports the
 * few leaf modules it runs instead of the lib/config and lib/memory barrels (a barrel evaluates
 * every module it re-exports): the config loader reads the unchanged template without zod, and
 * input the plain check vouches for needs no schema. Anything else loads the schema, which
 * names the problem. docs/benchmarks.md "Start-up" has the numbers.
 */
import { loadConfig } from "../lib/config/load.ts";
import { encryptionFromConfig, Store } from "../lib/store/mod.ts";
import { enqueueValid, plainRememberInput } from "../lib/memory/remember_queue.ts";
import {
  type CommandSpec,
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
import { contentArg } from "./_content.ts";
import { refuseWhileStopped } from "../lib/scheduler/mod.ts";
import type * as Memory from "../lib/memory/mod.ts";

const JSON_OUT = JSON_OPTION;

let memory: typeof Memory | undefined;

/**
 * Hands lib/memory over already loaded (the single-file bundle: it holds only what literal
 * imports name). Otherwise it is imported through a specifier built at run time, and only for
 * input the plain check does not vouch for, so zod stays out of `remember`'s start-up graph.
 */
export function provideMemoryLib(m: typeof Memory): void {
  memory = m;
}

async function memoryLib(): Promise<typeof Memory> {
  const at = (name: string) => `../lib/${name}/mod.ts`;
  return memory ??= await import(at("memory"));
}

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
    const valid = plainRememberInput(input) ?? (await memoryLib()).parseRememberInput(input);
    res = enqueueValid(store, loaded.config, valid);
  } finally {
    store.close();
  }
  if (v.json) printJson(res);
  else console.log(`queued #${res.queue_id} in ${res.namespace}`);
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  remember: rememberCmd,
};
