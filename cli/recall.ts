/**
 * CLI: `recall` (calls lib/memory's recall).
 *
 * Start-up is part of this command (issue 21: ≤ 150 ms as a whole process on a 6k home), so it
 * imports the leaf modules it runs instead of the lib/config and lib/memory barrels (a barrel
 * evaluates every module it re-exports): the config loader, the runtime and `recallValid`.
 * Input the plain check vouches for needs no schema; anything else goes through lib/memory's
 * `recall`, whose schema names the problem. `--expand` loads lib/llm when it is given.
 * docs/benchmarks.md "Start-up" has the numbers.
 */
import { loadConfig } from "../lib/config/load.ts";
import { openRuntime } from "../lib/memory/runtime.ts";
import { plainRecallInput, type RecallResponse, recallValid } from "../lib/memory/recall.ts";
import type { ExpansionFields } from "../lib/llm/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  NAMESPACE_OPTION,
  parseCommand,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { filterInput, FILTERS, oneLine } from "./_filters.ts";
import { lazyModule } from "./_lazy.ts";

const recallSpec: CommandSpec = {
  name: "recall",
  summary: "find the memories that answer a query (hybrid: vectors + bm25 + exact + recency)",
  usage: ["recall [options] QUERY…"],
  options: {
    namespace: NAMESPACE_OPTION,
    limit: { type: "string", short: "l", value: "N", description: "results (1..100, default 10)" },
    ...FILTERS,
    mode: {
      type: "string",
      value: "M",
      description:
        "hybrid (default) | bm25 | vector (falls back to exact+bm25 for a bare identifier or when it finds nothing)",
    },
    explain: { type: "boolean", description: "show each channel's score" },
    expand: {
      type: "boolean",
      description: "rewrite the query with the model first (memman's --expand; docs/llm.md)",
    },
    json: JSON_OPTION,
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
  // The results' sealed fields open through WebCrypto (recallValid): Node's crypto stays unloaded.
  const rt = await openRuntime(await loadConfig({ configPath: g.config }), { webCrypto: true });
  let res: RecallResponse;
  try {
    const typed = p.positionals.join(" ");
    if (v.expand) {
      fields = await (await lazyModule("llm")).expandForRecall(rt.config, rt.loaded.home, typed);
      if (fields.warning) console.error(`warning: --expand: ${fields.warning}`);
    }
    const expansion = fields?.query_expansion;
    const input = stripUndefined({
      query: expansion?.query ?? typed,
      limit: intValue(v.limit, "limit", 1),
      ...filterInput(v),
      mode: strValue(v.mode),
      explain: v.explain ? true : undefined,
    });
    const plain = plainRecallInput(input);
    res = plain
      ? await recallValid(rt, plain)
      : await (await lazyModule("memory")).recall(rt, input);
  } finally {
    rt.close();
  }
  if (v.json) {
    printJson(fields ? { ...res, ...fields } : res);
    return 0;
  }
  printRecall(res, fields);
  return 0;
}

function printRecall(res: RecallResponse, fields: ExpansionFields | undefined): void {
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
    if (x.fallback) console.log(`fallback: ${x.fallback.reason} → exact + bm25`);
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
        (c.entity === undefined ? "" : `  entity ${c.entity.toFixed(3)}`) +
        (c.bridge === undefined ? "" : `  bridge ${c.bridge.toFixed(3)}`);
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
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  recall: recallCmd,
};
