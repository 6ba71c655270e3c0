/**
 * CLI: `graph show|link|unlink|rebuild` over the memory graph (lib/memory/graph.ts →
 * lib/graph). Edges are temporal, entity, causal or semantic; docs/graph.md.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  linkMemoriesByHand,
  llmCausalPass,
  memoryGraph,
  rebuildMemoryGraph,
  unlinkMemories,
} from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  listValue,
  type Parsed,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson, progress } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import { runVerbs } from "./_subcommands.ts";

const graphSpec: CommandSpec = {
  name: "graph",
  summary: "show, link, unlink and rebuild the memory graph (temporal, entity, causal, semantic)",
  usage: [
    "graph show ID [--kind K] [--depth N] [--namespace NS] [--json]",
    "graph link A B --kind causal|entity|temporal|semantic [--weight W] [--json]",
    "graph unlink A B [--kind K] [--json]",
    "graph rebuild [--namespace NS] [--dry-run] [--llm] [--json]",
  ],
  options: {
    namespace: {
      type: "string",
      short: "n",
      value: "NS",
      description: "show/link: require this namespace; rebuild: only this one (default: all)",
    },
    kind: {
      type: "string",
      value: "K",
      description: "edge kind: temporal, entity, causal or semantic (show: A,B filters)",
    },
    depth: { type: "string", value: "N", description: "show: hops to follow (1–3, default 1)" },
    weight: { type: "string", value: "W", description: "link: weight in (0, 1] (default 1)" },
    "dry-run": { type: "boolean", description: "rebuild: count edges, write nothing" },
    llm: {
      type: "boolean",
      description: "rebuild: also ask the [llm] model for causal edges (one call per memory)",
    },
    json: JSON_OPTION,
  },
  notes: [
    "Edges are built when memories are written; a bulk import skips semantic edges, which",
    "'graph rebuild' (or the next drain) adds. Manual links are kept by every rebuild.",
  ],
  examples: [
    "memoryoss graph show 0194c3… --kind causal,entity --depth 2",
    "memoryoss graph link 0194c3… 0194c4… --kind causal --weight 0.8",
    "memoryoss graph rebuild -n demo --dry-run",
  ],
};

const oneLine = (s: string, n: number) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
};

function weightValue(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const w = Number(v);
  if (typeof v !== "string" || !Number.isFinite(w) || w <= 0 || w > 1) {
    throw new MemoryossError("INVALID_INPUT", `--weight takes a number in (0, 1], got '${v}'`);
  }
  return w;
}

function twoIds(positionals: string[], action: string): [string, string] {
  if (positionals.length !== 2) {
    throw new MemoryossError("INVALID_INPUT", `graph ${action} takes exactly two memory ids`);
  }
  return [positionals[0], positionals[1]];
}

/** Entry point: `graph show|link|unlink|rebuild …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runVerbs(graphSpec, { show, link, unlink, rebuild }, args, g);
}

/** `graph show ID`: a memory's edges, `--depth` hops out. */
async function show(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const v = p.values;
  if (rest.length !== 1) throw new MemoryossError("INVALID_INPUT", "graph show takes one id");
  const depth = intValue(v.depth, "depth", 1);
  const namespace = strValue(v.namespace);
  const res = await withRuntime(
    g,
    (rt) => memoryGraph(rt, rest[0], { namespace, kinds: listValue(strValue(v.kind)), depth }),
  );
  if (v.json) printJson(res);
  else {
    if (res.edges.length === 0) console.log(`${res.id}: no edges`);
    for (const e of res.edges) {
      const dir = e.from === e.neighbour.id ? "←" : "→";
      console.log(
        `${e.kind.padEnd(8)} ${e.weight.toFixed(2)} ${
          e.origin.padEnd(6)
        } ${dir} ${e.neighbour.id}  ${oneLine(e.neighbour.content, 80)}${
          e.neighbour.archived ? "  (archived)" : ""
        }`,
      );
    }
  }
  return 0;
}

/** `graph link A B --kind K`: a manual edge (kept by every rebuild). */
async function link(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const v = p.values;
  const [from, to] = twoIds(rest, "link");
  const kind = strValue(v.kind);
  if (!kind) throw new MemoryossError("INVALID_INPUT", "graph link needs --kind");
  const namespace = strValue(v.namespace);
  const res = await withRuntime(g, (rt) =>
    linkMemoriesByHand(
      rt,
      stripUndefined({ from, to, kind, weight: weightValue(v.weight), namespace }),
    ));
  if (v.json) printJson(res);
  else console.log(`linked ${res.from} → ${res.to} (${res.kind}, ${res.weight})`);
  return 0;
}

/** `graph unlink A B [--kind K]`: remove the edges between two memories. */
async function unlink(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const [from, to] = twoIds(rest, "unlink");
  const kind = strValue(p.values.kind);
  const namespace = strValue(p.values.namespace);
  const res = await withRuntime(g, (rt) => unlinkMemories(rt, { from, to, kind, namespace }));
  if (p.values.json) printJson(res);
  else console.log(`removed ${res.removed} edge${res.removed === 1 ? "" : "s"}`);
  return 0;
}

/** `graph rebuild`: the automatic edges again (and `--llm`'s causal pass). */
async function rebuild(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const v = p.values;
  if (rest.length > 0) throw new MemoryossError("INVALID_INPUT", "graph rebuild takes no ids");
  if (v.llm && v["dry-run"]) {
    throw new MemoryossError("INVALID_INPUT", "graph rebuild: --llm cannot be a --dry-run");
  }
  const namespace = strValue(v.namespace);
  const res = await withRuntime(g, async (rt) => {
    const report = rebuildMemoryGraph(rt, {
      namespace,
      dryRun: Boolean(v["dry-run"]),
      onProgress: progress("graph rebuild"),
    });
    if (!v.llm) return report;
    const llm = await llmCausalPass(rt, { namespace, onProgress: progress("graph rebuild --llm") });
    return { ...report, llm };
  });
  if (v.json) printJson(res);
  else {
    for (const n of res.namespaces) {
      const e = n.edges;
      console.log(
        `${n.namespace}: ${n.memories} memories; ${res.dry_run ? "would write" : "wrote"} ` +
          `temporal ${e.temporal}, entity ${e.entity}, causal ${e.causal}, semantic ${e.semantic} ` +
          `(replacing ${n.removed} automatic edges)`,
      );
    }
    if ("llm" in res) {
      const l = res.llm;
      console.log(
        `llm: asked about ${l.asked} memories (${l.fallback} fell back to the rules); ` +
          `wrote ${l.edges} causal edges${l.last_error ? `; last error: ${l.last_error}` : ""}`,
      );
    }
  }
  return 0;
}
