/**
 * CLI: list, inspect, export, status. Each calls one lib/memory function. (`recall` is
 * cli/recall.ts, with the leaf imports its start-up needs.)
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { exportNamespace, inspectMemory, listMemories, status } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { filterInput, FILTERS, oneLine } from "./_filters.ts";
import { withRuntime } from "./_runtime.ts";

const NS = NAMESPACE_OPTION;
const JSON_OUT = JSON_OPTION;

const listSpec: CommandSpec = {
  name: "list",
  summary: "browse memories in a namespace, newest first",
  usage: ["list [--namespace NS] [--status active] [--limit 50] [--offset 0] [--json]"],
  notes: [
    "--json prints next_offset: pass it as --offset for the next page; it is null on the last.",
  ],
  options: {
    namespace: NS,
    ...FILTERS,
    limit: { type: "string", short: "l", value: "N", description: "page size (default 50)" },
    offset: { type: "string", value: "N", description: "skip this many" },
    oldest: { type: "boolean", description: "oldest first" },
    json: JSON_OUT,
  },
};

async function listCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(listSpec, args);
  if (!p) return 0;
  const v = p.values;
  const res = await withRuntime(g, (rt) =>
    listMemories(
      rt,
      stripUndefined({
        ...filterInput(v),
        limit: intValue(v.limit, "limit", 1),
        offset: intValue(v.offset, "offset", 0),
        order: v.oldest ? "oldest" : undefined,
      }),
    ));
  if (v.json) {
    printJson(res);
    return 0;
  }
  console.log(`${res.namespace}: ${res.total} memor${res.total === 1 ? "y" : "ies"}`);
  for (const m of res.memories) {
    console.log(
      `${m.id}  ${m.created_at.slice(0, 10)}  ${m.status.padEnd(9)} ${oneLine(m.content, 90)}`,
    );
  }
  if (res.next_offset !== null) console.log(`… more: --offset ${res.next_offset}`);
  return 0;
}

const inspectSpec: CommandSpec = {
  name: "inspect",
  summary: "show one memory with every field",
  usage: ["inspect ID [--namespace NS] [--json]"],
  options: { namespace: { ...NS, description: "require this namespace" }, json: JSON_OUT },
};

async function inspectCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(inspectSpec, args);
  if (!p) return 0;
  if (p.positionals.length !== 1) {
    throw new MemoryossError("INVALID_INPUT", "inspect takes exactly one memory id");
  }
  const res = await withRuntime(
    g,
    (rt) => inspectMemory(rt, p.positionals[0], strValue(p.values.namespace)),
  );
  if (p.values.json) printJson(res);
  else {
    for (const [k, val] of Object.entries(res)) {
      console.log(`${k.padEnd(22)} ${typeof val === "string" ? val : JSON.stringify(val)}`);
    }
  }
  return 0;
}

const exportSpec: CommandSpec = {
  name: "export",
  summary: "write every memory of a namespace as JSON (re-importable with `import`)",
  usage: ["export [--namespace NS] [-o FILE]"],
  options: {
    namespace: NS,
    output: {
      type: "string",
      short: "o",
      value: "FILE",
      description: "write here instead of stdout",
    },
  },
  examples: ["memoryoss export --namespace demo > dump.json"],
};

async function exportCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(exportSpec, args);
  if (!p) return 0;
  const doc = await withRuntime(g, (rt) => exportNamespace(rt, namespaceValue(p.values.namespace)));
  const text = JSON.stringify(doc, null, 2) + "\n";
  const out = strValue(p.values.output);
  if (out) {
    try {
      await Deno.writeTextFile(out, text);
    } catch (e) {
      throw new MemoryossError("IO", `cannot write ${out}: ${(e as Error).message.split(":")[0]}`);
    }
    console.error(`exported ${doc.count} memories to ${out}`);
  } else await Deno.stdout.write(new TextEncoder().encode(text));
  return 0;
}

const statusSpec: CommandSpec = {
  name: "status",
  summary: "namespaces, counts per status, embedder, index and database size",
  usage: ["status [--json]"],
  options: { json: JSON_OUT },
};

async function statusCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(statusSpec, args);
  if (!p) return 0;
  const s = await withRuntime(g, (rt) => status(rt));
  if (p.values.json) {
    printJson(s);
    return 0;
  }
  console.log(`home        ${s.home}`);
  console.log(
    `database    ${s.db_path} (${
      (s.db_bytes / 1048576).toFixed(1)
    } MiB, schema v${s.schema_version})`,
  );
  console.log(
    `storage     ${s.storage.engine} ${s.storage.path} (schema v${s.storage.schema_version})`,
  );
  console.log(`embedder    ${s.embedder.id} (${s.embedder.dim} dims)`);
  console.log(
    `memories    ${s.total_memories} in ${s.namespaces.length} namespace(s); vector index ${s.vector_index_size}`,
  );
  if (s.needs_reembed > 0) {
    console.log(
      `warning     ${s.needs_reembed} memories embedded by another model: run 'memoryoss embed reembed --all-namespaces'`,
    );
  }
  for (const ns of s.namespaces) {
    const st = Object.entries(ns.by_status).map(([k, n]) => `${k} ${n}`).join(", ");
    console.log(
      `  ${ns.namespace.padEnd(20)} ${String(ns.total).padStart(7)}  ${st}${
        ns.archived ? `, archived ${ns.archived}` : ""
      }`,
    );
  }
  if (s.last_activity) console.log(`last write  ${s.last_activity}`);
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  list: listCmd,
  inspect: inspectCmd,
  export: exportCmd,
  status: statusCmd,
};
