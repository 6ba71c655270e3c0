/**
 * CLI: `remember` (queue a fact: one INSERT, no embedding, no network; `drain` applies the
 * queue, cli/drain.ts).
 *
 * Start-up is this command's feature (issue 21: ≤ 80 ms as a whole process), so it imports the
 * few leaf modules it runs instead of the lib/config and lib/memory barrels (a barrel evaluates
 * every module it re-exports): the config loader reads the unchanged template without zod, and
 * input the plain check vouches for needs no schema. Anything else loads the schema, which
 * names the problem. It seals through WebCrypto (the keyring's ids, the queued payload, before
 * the transaction), so Node's crypto module is never loaded. docs/benchmarks.md "Start-up" has
 * the numbers.
 */
import { loadConfig } from "../lib/config/load.ts";
import { Store } from "../lib/store/store.ts";
import { encryptionFromConfigAsync } from "../lib/store/sealed.ts";
import { enqueueValidAsync, plainRememberInput } from "../lib/memory/remember_queue.ts";
import {
  type CommandSpec,
  JSON_OPTION,
  listValue,
  MEMORY_FIELD_OPTIONS,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  type Parsed,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
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

/** memman's remember flags, as its scripts spell them. */
const MEMMAN_OPTIONS = {
  cat: { type: "string", value: "C", description: "memman's category (general = none)" },
  imp: { type: "string", value: "N", description: "memman's importance 1-5 (3 = none)" },
  entities: { type: "string", value: "A,B", description: "memman's entities (comma-separated)" },
  source: { type: "string", value: "S", description: "memman's source (user = none)" },
  "no-reconcile": {
    type: "boolean",
    description: "store as written: no model rewrite, no reconciliation (memman's flag)",
  },
} as const;

const MEMMAN_CATEGORIES = ["context", "decision", "fact", "general", "insight", "preference"];

/** The category from `--category` and memman's `--cat` (both: they must agree). */
function categoryOf(v: Parsed["values"]): string | undefined {
  const category = strValue(v.category);
  const cat = strValue(v.cat);
  if (cat === undefined) return category;
  if (!MEMMAN_CATEGORIES.includes(cat)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `invalid category '${cat}'; valid: ${MEMMAN_CATEGORIES.join(", ")}`,
      ["cat"],
    );
  }
  const c = cat === "general" ? undefined : cat;
  if (category !== undefined && category !== c) {
    throw new MemoryossError("INVALID_INPUT", "--cat and --category disagree; give one", ["cat"]);
  }
  return c;
}

/** memman's `--imp`, `--entities`, `--source` as metadata; default values are no hint. */
function memmanMetadata(v: Parsed["values"]): Record<string, unknown> | undefined {
  const m: Record<string, unknown> = {};
  const imp = strValue(v.imp);
  if (imp !== undefined) {
    if (!/^[1-5]$/.test(imp.trim())) {
      throw new MemoryossError("INVALID_INPUT", `importance must be 1-5, got ${imp}`, ["imp"]);
    }
    if (Number(imp) !== 3) m.importance = Number(imp);
  }
  const seen = new Set<string>();
  const entities = (listValue(v.entities) ?? []).filter((e) =>
    !seen.has(e.toLowerCase()) && seen.add(e.toLowerCase())
  ).slice(0, 20);
  if (entities.length) m.entities = entities;
  const source = strValue(v.source)?.trim();
  if (source && source !== "user") m.source = source;
  return Object.keys(m).length ? m : undefined;
}

const rememberSpec: CommandSpec = {
  name: "remember",
  summary: "queue a fact for the next drain (fast: no embedding, no network)",
  usage: ["remember [options] TEXT…", "remember [options] -    (content from stdin)"],
  options: {
    namespace: NAMESPACE_OPTION,
    ...MEMORY_FIELD_OPTIONS,
    ...MEMMAN_OPTIONS,
    json: JSON_OUT,
  },
  notes: [
    "The fact is recallable after 'memoryoss drain' applies it (reconciled against similar",
    "memories: added, updated, superseded or merged as a duplicate). With --no-reconcile the",
    "drain stores the text verbatim as a new memory (an identical one is still merged).",
    "memman's hints: --cat (general = none), --imp 1-5 (3 = none), --entities, --source",
    "(user = none) become the category and metadata.importance/entities/source. --json:",
    "{action, queue_id, store, quality_warnings, namespace, enqueued_at}; the warnings are",
    "memman's advisory quality check and never block the write.",
  ],
  examples: [
    'memoryoss remember --namespace demo --category decision "Deploys need staging signoff."',
    'memoryoss remember --no-reconcile --cat decision --imp 4 "Releases are tagged vX.Y.Z"',
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
    category: categoryOf(v),
    tags: listValue(v.tags),
    agent: strValue(v.agent),
    session: strValue(v.session),
    metadata: memmanMetadata(v),
    no_reconcile: v["no-reconcile"] === true ? true : undefined,
  });
  // The hot path: config, open the database, one INSERT. No runtime, no embedder, no
  // node:crypto (WebCrypto seals the payload before the transaction).
  const loaded = await loadConfig({ configPath: g.config });
  refuseWhileStopped(loaded.home, "remember");
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
    encryption: await encryptionFromConfigAsync(loaded.keyPath, loaded.config.encryption),
  });
  let res;
  try {
    const valid = plainRememberInput(input) ?? (await memoryLib()).parseRememberInput(input);
    res = await enqueueValidAsync(store, loaded.config, valid);
  } finally {
    store.close();
  }
  if (v.json) printJson(res);
  else {
    console.log(`queued #${res.queue_id} in ${res.namespace}`);
    for (const w of res.quality_warnings) console.error(`warning: ${w}`);
  }
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  remember: rememberCmd,
};
