/**
 * CLI: `store create|use|list|current|remove` — named stores (lib/namespace). Reached from
 * `store` (cli/memory_write.ts) only when the first argument is exactly one of those words;
 * `memoryoss store -- list` or `--content list` stores the word itself as a memory.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { resolveHome } from "../lib/config/mod.ts";
import { liveCountsByNamespace } from "../lib/store/mod.ts";
import {
  createStore,
  currentStore,
  listStores,
  removeStore,
  STORE_ENV,
  useStore,
} from "../lib/namespace/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import { pick } from "./_subcommands.ts";

const spec: CommandSpec = {
  name: "store",
  summary: "named stores: each maps onto a namespace; the current one is the default namespace",
  usage: [
    "store create NAME [--namespace NS] [--json]",
    "store use NAME [--json]",
    "store list [--json]",
    "store current [--json]",
    "store remove NAME [--json]",
  ],
  options: {
    namespace: {
      type: "string",
      short: "n",
      value: "NS",
      description: "create: the namespace the store maps to (default: its name)",
    },
    json: JSON_OPTION,
  },
  notes: [
    "Memory commands (store, remember, recall, list, forget, export, decay, gc, review, …)",
    "use the current store's namespace when --namespace is not given. The current store is",
    `${STORE_ENV} if set, else the one chosen with 'store use' (<home>/current_store), else`,
    "'default' (namespace 'default'). 'remove' forgets the name; the memories stay.",
    "To store one of the words create/use/list/current/remove as a memory, write",
    "'memoryoss store -- list' or 'memoryoss store --content list'.",
  ],
  examples: [
    "memoryoss store create work",
    "memoryoss store use work",
    'memoryoss store "Deploys go through staging"   # into namespace work',
    "MEMORYOSS_STORE=default memoryoss recall deploys",
  ],
};

const env = (k: string) => Deno.env.get(k);

/** `store create|use|list|current|remove …` */
export async function storesMain(args: string[], g: Globals): Promise<number> {
  const [action, ...rest] = args;
  const p = parseCommand(spec, rest);
  if (!p) return 0;
  const home = resolveHome(env);
  const json = Boolean(p.values.json);
  const needsName = ["create", "use", "remove"].includes(action);
  if (p.positionals.length !== (needsName ? 1 : 0)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      needsName
        ? `usage: memoryoss store ${action} NAME`
        : `'store ${action}' takes no arguments (to store the word '${action}' as a memory: ` +
          `memoryoss store -- ${action} …)`,
    );
  }
  const ns = strValue(p.values.namespace);
  if (ns !== undefined && action !== "create") {
    throw new MemoryossError("INVALID_INPUT", "--namespace is only for 'store create'");
  }
  const store: StoreVerb = pick("store", VERBS, action);
  return await store({ home, name: p.positionals[0], namespace: ns, json }, g);
}

/** What a `store` verb gets: the home, the NAME argument, `--namespace`, `--json`. */
interface StoreArgs {
  home: string;
  name: string;
  namespace: string | undefined;
  json: boolean;
}

type StoreVerb = (a: StoreArgs, g: Globals) => Promise<number> | number;

const VERBS: Record<string, StoreVerb> = {
  create: (a) => {
    const s = createStore(a.home, a.name, a.namespace);
    if (a.json) printJson(s);
    else console.log(`created store ${s.name} (namespace ${s.namespace})`);
    return 0;
  },
  use: (a) => {
    const s = useStore(a.home, a.name);
    const overridden = env(STORE_ENV);
    if (a.json) printJson({ ...s, current: true, overridden_by_env: Boolean(overridden) });
    else {
      console.log(`current store: ${s.name} (namespace ${s.namespace})`);
      if (overridden) console.log(`note: ${STORE_ENV}=${overridden} overrides it in this shell`);
    }
    return 0;
  },
  list: (a, g) => list(a.home, g, a.json),
  current: (a) => {
    const c = currentStore(a.home, env);
    if (a.json) printJson(c);
    else console.log(`${c.name} (namespace ${c.namespace}; from ${c.source})`);
    return 0;
  },
  remove: (a) => {
    const r = removeStore(a.home, a.name);
    if (a.json) printJson(r);
    else {
      console.log(`removed store ${r.removed.name}; namespace ${r.removed.namespace} is kept`);
      if (r.was_current) console.log("the current store is now 'default'");
    }
    return 0;
  },
};

async function list(home: string, g: Globals, json: boolean): Promise<number> {
  const current = currentStore(home, env);
  let counts = new Map<string, number>();
  await withRuntime(g, (rt) => {
    counts = liveCountsByNamespace(rt.store);
  });
  const stores = listStores(home).map((s) => ({
    ...s,
    current: s.name === current.name,
    memories: counts.get(s.namespace) ?? 0,
  }));
  if (json) {
    printJson({ current: current.name, source: current.source, stores });
    return 0;
  }
  for (const s of stores) {
    console.log(
      `${s.current ? "*" : " "} ${s.name.padEnd(20)} namespace ${s.namespace.padEnd(20)} ` +
        `${s.memories} memor${s.memories === 1 ? "y" : "ies"}`,
    );
  }
  return 0;
}
