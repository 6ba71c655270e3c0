/** CLI: recall, list, inspect, export, status. Each calls one lib/memory function. */
import { MemoryossError } from "../lib/errors/mod.ts";
import { exportNamespace, inspectMemory, listMemories, recall, status } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  listValue,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { expandForRecall, type ExpansionFields } from "../lib/llm/mod.ts";
import { withRuntime } from "./_runtime.ts";

const NS = NAMESPACE_OPTION;
const JSON_OUT = JSON_OPTION;
const FILTERS = {
  tags: {
    type: "string",
    short: "t",
    value: "A,B",
    description: "any of these tags",
    multiple: true,
  },
  agent: { type: "string", value: "NAME", description: "only this agent" },
  session: { type: "string", value: "ID", description: "only this session" },
  type: { type: "string", value: "T", description: "only this memory type" },
  category: { type: "string", value: "C", description: "only this category" },
  before: { type: "string", value: "TS", description: "created before this time" },
  after: { type: "string", value: "TS", description: "created at or after this time" },
  status: { type: "string", value: "S,…", description: "statuses to include", multiple: true },
  "include-archived": { type: "boolean", description: "include archived memories" },
} as const;

function filterInput(v: Record<string, unknown>) {
  return {
    namespace: namespaceValue(v.namespace),
    tags: listValue(v.tags as string[] | undefined),
    agent: strValue(v.agent),
    session: strValue(v.session),
    memory_type: strValue(v.type),
    category: strValue(v.category),
    before: strValue(v.before),
    after: strValue(v.after),
    status: listValue(v.status as string[] | undefined),
    include_archived: v["include-archived"] ? true : undefined,
  };
}

const oneLine = (s: string, n: number) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
};

const recallSpec: CommandSpec = {
  name: "recall",
  summary: "find the memories that answer a query (hybrid: vectors + bm25 + exact + recency)",
  usage: ["recall [options] QUERY…"],
  options: {
    namespace: NS,
    limit: { type: "string", short: "l", value: "N", description: "results (1..100, default 10)" },
    ...FILTERS,
    mode: { type: "string", value: "M", description: "hybrid (default) | bm25 | vector" },
    explain: { type: "boolean", description: "show each channel's score" },
    expand: {
      type: "boolean",
      description: "rewrite the query with the model first (memman's --expand; docs/llm.md)",
    },
    json: JSON_OUT,
  },
  examples: [
    'memoryoss recall --namespace demo --limit 5 --json "when can we deploy?"',
    'memoryoss recall --expand --limit 5 "why did we pick postgres"',
    'memoryoss recall -n demo --explain "MEMORYOSS_HOME"',
  ],
};

async function recallCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(recallSpec, args);
  if (!p) return 0;
  const v = p.values;
  let fields: ExpansionFields | undefined;
  const res = await withRuntime(g, async (rt) => {
    const typed = p.positionals.join(" ");
    if (v.expand) {
      fields = await expandForRecall(rt.config, rt.loaded.home, typed);
      if (fields.warning) console.error(`warning: --expand: ${fields.warning}`);
    }
    const expansion = fields?.query_expansion;
    return recall(
      rt,
      stripUndefined({
        query: expansion?.query ?? typed,
        limit: intValue(v.limit, "limit", 1),
        ...filterInput(v),
        mode: strValue(v.mode),
        explain: v.explain ? true : undefined,
      }),
    );
  });
  if (v.json) {
    printJson(fields ? { ...res, ...fields } : res);
    return 0;
  }
  const expansion = fields?.query_expansion;
  if (expansion && expansion.query !== expansion.original) console.log(`query: ${expansion.query}`);
  if (res.memories.length === 0) console.log("no memories found");
  if (res.explain) {
    const x = res.explain;
    console.log(
      `intent: ${x.intent.kind}${x.intent.cues.length ? ` (${x.intent.cues.join(", ")})` : ""}` +
        (x.expansion
          ? `; graph: ${x.expansion.reached} reached from ${x.expansion.seeds.length} seeds, ${x.expansion.added.length} added`
          : "; graph: not expanded"),
    );
    if (x.speakers) console.log(`speakers: ${x.speakers.join(", ")}`);
    if (x.entities) console.log(`names searched again: ${x.entities.join(", ")}`);
    for (const t of x.time ?? []) console.log(`time: ${t.text} → ${t.window}`);
  }
  res.memories.forEach((m, i) => {
    console.log(
      `${String(i + 1).padStart(2)}. [${m.score.toFixed(3)}] ${m.id}  ${m.created_at.slice(0, 10)}`,
    );
    console.log(`    ${oneLine(m.content, 160)}`);
    if (m.tags.length) console.log(`    tags: ${m.tags.join(", ")}`);
    if (m.explain) {
      const c = m.explain.channels;
      const episode = c.context === undefined
        ? ""
        : `  context ${c.context.toFixed(3)}  context_vector ${(c.context_vector ?? 0).toFixed(3)}`;
      const time = c.time === undefined ? "" : `  time ${c.time.toFixed(3)}`;
      const talk = (c.speaker === undefined ? "" : `  speaker ${c.speaker}`) +
        (c.entity === undefined ? "" : `  entity ${c.entity.toFixed(3)}`);
      console.log(
        `    vector ${c.vector.toFixed(3)}  fts ${c.fts.toFixed(3)}  exact ${
          c.exact.toFixed(3)
        }  recency ${c.recency.toFixed(3)}${episode}${time}${talk}  (${m.provenance.join(", ")})`,
      );
      const path = m.explain.graph?.path;
      if (path?.length) {
        console.log(
          `    graph path: ${path.map((s) => `${s.kind} ${s.from} → ${s.to}`).join(" · ")}`,
        );
      }
    }
  });
  return 0;
}

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
  recall: recallCmd,
  list: listCmd,
  inspect: inspectCmd,
  export: exportCmd,
  status: statusCmd,
};
