/**
 * CLI: update, forget, import, embed. Each calls one lib/memory function. (`store` is
 * cli/store.ts, with the leaf imports its start-up needs.)
 */
import { embedStatusCmd } from "./embed_status.ts";
import { embedSwapCmd } from "./embed_swap.ts";
import { FORGET_FILTER_OPTIONS, forgetCertifiedCmd, forgetFilter } from "./forget_certified.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { forget, type ForgetResult, importText, reembed, updateMemory } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  JSON_OPTION,
  listValue,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson, progress } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import { lookup, unknownSubcommand } from "./_subcommands.ts";
import { parseMetadata } from "./store.ts";

const NS = NAMESPACE_OPTION;
const JSON_OUT = JSON_OPTION;

const updateSpec: CommandSpec = {
  name: "update",
  summary: "change a memory's content, tags, type, category, status or metadata",
  usage: ["update ID [--content TEXT] [--tags A,B] [--type T] [--category C] [--status S]"],
  options: {
    namespace: { ...NS, description: "only update if the memory is in this namespace" },
    content: { type: "string", value: "TEXT", description: "new content (re-embedded)" },
    tags: { type: "string", short: "t", value: "A,B", description: "replace tags", multiple: true },
    type: { type: "string", value: "T", description: "memory type" },
    category: { type: "string", value: "C", description: "category" },
    status: { type: "string", value: "S", description: "candidate | active | contested | stale" },
    metadata: { type: "string", value: "JSON", description: "replace metadata" },
    json: JSON_OUT,
  },
  examples: [
    'memoryoss update 0194c3… --content "Deploy after staging signoff and a green canary."',
  ],
};

async function updateCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(updateSpec, args);
  if (!p) return 0;
  if (p.positionals.length !== 1) {
    throw new MemoryossError("INVALID_INPUT", "update takes exactly one memory id");
  }
  const v = p.values;
  const rec = await withRuntime(g, (rt) =>
    updateMemory(
      rt,
      stripUndefined({
        id: p.positionals[0],
        namespace: strValue(v.namespace),
        content: strValue(v.content),
        tags: listValue(v.tags),
        memory_type: strValue(v.type),
        category: strValue(v.category),
        status: strValue(v.status),
        metadata: parseMetadata(v.metadata),
      }),
    ));
  if (v.json) printJson(rec);
  else console.log(`updated ${rec.id} (v${rec.version})`);
  return 0;
}

const forgetSpec: CommandSpec = {
  name: "forget",
  summary: "delete memories by id or filter (never unscoped)",
  usage: [
    "forget --ids A,B [--namespace NS]",
    "forget --namespace NS --tags X [--agent A] [--session S] [--before TS]",
    "forget --namespace NS --all --yes",
    "forget --certified … (signed deletion certificate; forget --certified --help)",
  ],
  options: {
    namespace: {
      ...NS,
      description: "namespace (default: the current store's; --ids alone search every one)",
    },
    ...FORGET_FILTER_OPTIONS,
    "dry-run": { type: "boolean", description: "list what would be deleted, delete nothing" },
    json: JSON_OUT,
  },
  notes: [
    "--ids without --namespace finds the ids in any namespace. Ids that match nothing are named:",
    "exit 4 when none matched (nothing deleted), exit 1 when only some did (the rest deleted).",
    "--dry-run prints each memory (id and first line) and the count; with --json it reports",
    "would_delete {count, memories}. Every real forget is logged in the activity log.",
  ],
  examples: [
    "memoryoss forget -n demo --tags scratch --dry-run",
    "memoryoss forget --ids 0194c3…,0194c4…",
    "memoryoss forget -n demo --all --yes",
  ],
};

async function forgetCmd(args: string[], g: Globals): Promise<number> {
  if (args.includes("--certified")) {
    const rest = args.filter((a) => a !== "--certified");
    // A preview is the plain forget's dry run: a certified forget always deletes.
    if (!rest.includes("--dry-run")) return await forgetCertifiedCmd(rest, g);
    args = rest;
  }
  const p = parseCommand(forgetSpec, args);
  if (!p) return 0;
  const v = p.values;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "forget takes ids with --ids, not as arguments");
  }
  if (v.all && !v.yes && !v["dry-run"]) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "--all deletes the whole namespace: add --yes to confirm, or --dry-run to preview",
    );
  }
  const explicitNs = v.namespace === undefined ? undefined : namespaceValue(v.namespace);
  const res = await withRuntime(g, (rt) =>
    forget(
      rt,
      stripUndefined({
        namespace: explicitNs,
        ...forgetFilter(v),
        dry_run: v["dry-run"] ? true : undefined,
      }),
      { scope: "*", actor: "cli", via: "cli", defaultNamespace: namespaceValue(undefined) },
    ));
  if (v.json) printJson(res);
  else printForget(res);
  if (res.not_found?.length) {
    console.error(`memoryoss: not found: ${res.not_found.join(", ")}`);
    return 1;
  }
  return 0;
}

const memories = (n: number) => `${n} memor${n === 1 ? "y" : "ies"}`;

function printForget(res: ForgetResult): void {
  if (res.dry_run) {
    const list = res.would_delete.memories;
    for (const m of list) console.log(`${m.id}  ${m.first_line}`);
    const where = res.namespace ?? [...new Set(list.map((m) => m.namespace))].join(", ");
    const from = where ? ` from ${where}` : "";
    console.log(
      `would delete ${memories(res.would_delete.count)}${from} (dry run: nothing deleted)`,
    );
    return;
  }
  const where = res.namespace ?? Object.keys(res.deleted_by_namespace).join(", ");
  console.log(`deleted ${memories(res.deleted)}${where ? ` from ${where}` : ""}`);
}

const importSpec: CommandSpec = {
  name: "import",
  summary: "bulk-import memories from JSONL or a memoryoss export file",
  usage: [
    "import [--namespace NS] --file FILE.jsonl [--strict]",
    "import [--namespace NS] -   (stdin)",
  ],
  options: {
    namespace: { ...NS, description: "put every memory in this namespace" },
    file: {
      type: "string",
      short: "f",
      value: "FILE",
      description: "JSONL file, or an export JSON",
    },
    strict: { type: "boolean", description: "abort without importing anything if any line is bad" },
    json: JSON_OUT,
  },
  notes: [
    "Each JSONL line: {content, tags?, namespace?, created_at?, metadata?, agent?, session?,",
    "memory_type?, category?, status?, confidence?}. Bad lines are reported with their line",
    "number and skipped; exit code 1 when any line was skipped.",
    "Graph links (temporal, entity, causal edges) of imported memories appear after the next",
    "`memoryoss drain` (or `graph rebuild`); recall finds them at once.",
  ],
  examples: ["memoryoss import --namespace demo --file memories.jsonl && memoryoss drain"],
};

async function importCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(importSpec, args);
  if (!p) return 0;
  const v = p.values;
  const file = strValue(v.file) ?? p.positionals[0];
  if (!file) throw new MemoryossError("INVALID_INPUT", "import needs --file FILE (or - for stdin)");
  // Raw bytes: importText decodes each line as strict UTF-8 and reports the lines that are not.
  let bytes: Uint8Array;
  try {
    bytes = file === "-"
      ? await new Response(Deno.stdin.readable).bytes()
      : await Deno.readFile(file);
  } catch (e) {
    throw new MemoryossError("INVALID_INPUT", `cannot read ${file}: ${(e as Error).message}`);
  }
  const res = await withRuntime(g, (rt) =>
    importText(rt, bytes, {
      namespace: strValue(v.namespace),
      defaultNamespace: namespaceValue(undefined),
      strict: Boolean(v.strict),
      onProgress: progress("importing"),
    }));
  if (v.json) printJson(res);
  else {
    for (const f of res.failed) console.error(`line ${f.line}: ${f.message}`);
    console.log(
      `imported ${res.created} new, merged ${res.merged} duplicate(s), skipped ${res.failed.length} bad line(s)`,
    );
  }
  return res.failed.length > 0 ? 1 : 0;
}

const embedSpec: CommandSpec = {
  name: "embed",
  summary: "manage embeddings",
  usage: [
    "embed reembed [--namespace NS | --all-namespaces]",
    "embed swap --to MODEL [--provider P] [--dry-run]   (embed swap --help)",
    "embed status [--json]",
  ],
  options: {
    namespace: NS,
    "all-namespaces": { type: "boolean", description: "every namespace of the home" },
    json: JSON_OUT,
  },
  notes: [
    "reembed: compute vectors that are missing or from another embedder (after a config change).",
    "Without --all-namespaces it works on the current namespace, like every memory command.",
  ],
  examples: ["memoryoss embed reembed --all-namespaces", "memoryoss embed status --json"],
};

async function embedCmd(args: string[], g: Globals): Promise<number> {
  // swap and status have their own options and help; reembed is this spec's.
  const own = lookup({ swap: embedSwapCmd, status: embedStatusCmd }, args[0]);
  if (own) return await own(args.slice(1), g);
  const p = parseCommand(embedSpec, args);
  if (!p) return 0;
  if (p.positionals[0] !== "reembed") {
    throw unknownSubcommand("embed", p.positionals[0], ["reembed", "swap", "status"]);
  }
  if (p.positionals.length !== 1) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `embed reembed: unexpected argument '${p.positionals[1]}'`,
    );
  }
  const all = p.values["all-namespaces"] === true;
  if (all && p.values.namespace !== undefined) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "--namespace and --all-namespaces exclude each other",
    );
  }
  const res = await withRuntime(
    g,
    (rt) =>
      reembed(rt, {
        namespace: all ? undefined : namespaceValue(p.values.namespace),
        onProgress: progress("re-embedding"),
      }),
  );
  if (p.values.json) printJson(res);
  else console.log(`re-embedded ${res.reembedded} memories with ${res.embedder_id}`);
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  update: updateCmd,
  forget: forgetCmd,
  import: importCmd,
  embed: embedCmd,
};
