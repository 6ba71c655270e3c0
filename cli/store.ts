/**
 * CLI: `store` (one memory; `store create|use|list|current|remove` manage named stores,
 * cli/stores.ts).
 *
 * Start-up is part of this command (issue 21: ≤ 150 ms as a whole process), so it imports the
 * leaf modules it runs instead of the lib/config and lib/memory barrels: the config loader,
 * the runtime and the write path. Input the plain check vouches for (store_plain.ts) needs no
 * schema; anything else goes through lib/memory's `storeMemory`, whose schema names the
 * problem. docs/benchmarks.md "Start-up" has the numbers.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { loadConfig } from "../lib/config/load.ts";
import { openRuntime } from "../lib/memory/runtime.ts";
import { plainStoreInput } from "../lib/memory/store_plain.ts";
import { type StoreResult, storeValid } from "../lib/memory/write.ts";
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
import { lazyModule } from "./_lazy.ts";

/** `--metadata JSON`: a JSON object, or INVALID_INPUT with an example. */
export function parseMetadata(v: unknown): Record<string, unknown> | undefined {
  if (typeof v !== "string") return undefined;
  try {
    const m = JSON.parse(v);
    if (m && typeof m === "object" && !Array.isArray(m)) return m;
  } catch { /* reported below */ }
  throw new MemoryossError(
    "INVALID_INPUT",
    '--metadata takes a JSON object, e.g. \'{"source":"chat"}\'',
  );
}

/** `store WORD …` manages named stores when WORD is one of these (cli/stores.ts). */
const STORE_ADMIN = ["create", "use", "list", "current", "remove"];

const storeSpec: CommandSpec = {
  name: "store",
  summary: "store one memory",
  usage: [
    "store [options] TEXT…",
    "store [options] -    (content from stdin)",
    "store [options] --content TEXT",
    "store create|use|list|current|remove …   (named stores: see 'memoryoss store list --help')",
  ],
  options: {
    namespace: NAMESPACE_OPTION,
    content: { type: "string", value: "TEXT", description: "the memory text (any words)" },
    ...MEMORY_FIELD_OPTIONS,
    type: {
      type: "string",
      value: "T",
      description: "episodic | semantic (default) | procedural | working",
    },
    "created-at": {
      type: "string",
      value: "TS",
      description: "RFC3339 creation time (backdating)",
    },
    metadata: { type: "string", value: "JSON", description: "free metadata object" },
    json: JSON_OPTION,
  },
  notes: [
    "When the first word is create, use, list, current or remove, 'store' manages named stores",
    "instead. To store such a word as a memory, write 'memoryoss store -- list' or",
    "'memoryoss store --content list'.",
  ],
  examples: [
    'memoryoss store --namespace demo --tags deploy,policy "Deploy only after staging signoff."',
    "git log -1 --format=%B | memoryoss store -n demo -",
    "memoryoss store -- list",
  ],
};

async function storeCmd(args: string[], g: Globals): Promise<number> {
  if (STORE_ADMIN.includes(args[0])) return (await lazyModule("stores")).storesMain(args, g);
  const p = parseCommand(storeSpec, args);
  if (!p) return 0;
  const v = p.values;
  if (typeof v.content === "string" && p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "give the text either with --content or as words");
  }
  const content = typeof v.content === "string" ? v.content : await contentArg(p.positionals);
  const input = stripUndefined({
    content,
    namespace: namespaceValue(v.namespace),
    tags: listValue(v.tags),
    agent: strValue(v.agent),
    session: strValue(v.session),
    memory_type: strValue(v.type),
    category: strValue(v.category),
    created_at: strValue(v["created-at"]),
    metadata: parseMetadata(v.metadata),
  });
  const rt = await openRuntime(await loadConfig({ configPath: g.config }));
  let res: StoreResult;
  try {
    const plain = plainStoreInput(input);
    res = plain
      ? await storeValid(rt, plain)
      : await (await lazyModule("memory")).storeMemory(rt, input);
  } finally {
    rt.close();
  }
  if (v.json) printJson(res);
  else if (res.outcome === "merged") {
    console.log(`merged into ${res.id} (v${res.version}, similarity ${res.similarity})`);
  } else {
    console.log(`stored ${res.id}`);
    if (res.contradicts_with?.length) {
      console.log(`note: contradicts ${res.contradicts_with.join(", ")}; both marked contested`);
    }
  }
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  store: storeCmd,
};
