/**
 * `deno task bench`: store throughput (memory graph built on write vs not, same run) and recall
 * latency (p50/p95) at several sizes beside its floors measured in the same run (a brute-force
 * cosine scan in JS, raw FTS5; scripts/bench_recall.ts), in wall clock and CPU time, and
 * retrieval quality on the recall-eval corpus, and per size whether the one memory holding an
 * identifier ranks first (scripts/bench_identifiers.ts). `--prewarm` times recall after the
 * read-ahead `serve` does at start (lib/server/warm.ts), as a server's first queries see it.
 * Prints markdown; record results in docs/benchmarks.md when they change.
 *
 *   deno task bench [--sizes 1000,20000,100000] [--queries 200] [--skip-eval] [--skip-sizes]
 *                   [--prewarm] [--skip-http] [--skip-proxy] [--skip-encryption]
 *                   [--encryption-size 20000]
 *                   [--skip-identifiers] [--skip-engines] [--engine-sizes 1000,20000]
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/mod.ts";
import { openRuntime, type Runtime } from "../lib/memory/mod.ts";
import { evaluate, importEvalCorpus, loadEvalCorpus } from "./recall_eval.ts";
import { syntheticQueries } from "./synthetic.ts";
import { RECALL_HEADER, recallLatency, recallRow } from "./bench_recall.ts";
import { importGraphOnOff } from "./bench_graph.ts";
import { benchHttp, httpBenchTable } from "./bench_http.ts";
import { benchProxy, proxyBenchTable } from "./bench_proxy.ts";
import { benchEncryption } from "./bench_encryption.ts";
import { benchIdentifiers, plantIdentifiers } from "./bench_identifiers.ts";
import { benchEngines, enginesHeading } from "./bench_engines.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "1000,20000,100000" },
    queries: { type: "string", default: "200" },
    prewarm: { type: "boolean" },
    "skip-eval": { type: "boolean" },
    "skip-sizes": { type: "boolean" },
    "skip-http": { type: "boolean" },
    "skip-proxy": { type: "boolean" },
    "skip-encryption": { type: "boolean" },
    "skip-identifiers": { type: "boolean" },
    "skip-engines": { type: "boolean" },
    "engine-sizes": { type: "string", default: "1000,20000" },
    "encryption-size": { type: "string", default: "20000" },
  },
});

async function withTempRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-bench-" });
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  try {
    return await fn(rt);
  } finally {
    rt.close();
    await Deno.remove(home, { recursive: true });
  }
}

const f1 = (x: number) => x.toFixed(1);
console.log(
  `# memoryoss bench — ${
    new Date().toISOString()
  } — deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores\n`,
);

if (!values["skip-sizes"]) {
  const nq = Number(values.queries);
  const sizes = values.sizes!.split(",").map(Number);
  const imports: string[] = [];
  const recalls: string[] = [];
  const idTables: string[] = [];
  for (const n of sizes) {
    // Import with the graph built on write (the default) and without, alternating chunks;
    // recall is then measured on the default (graph-on) home.
    const g = await importGraphOnOff(n);
    try {
      imports.push(
        `| ${n} | ${g.rateOn.toFixed(0)} | ${g.rateOff.toFixed(0)} | ${
          (g.rateOn / g.rateOff).toFixed(2)
        } | ${g.edges} | ${g.drainSec.toFixed(1)} |`,
      );
      const lat = await recallLatency(g.on.rt, "bench", syntheticQueries(nq), 10, values.prewarm);
      recalls.push(recallRow(n, lat));
      if (!values["skip-identifiers"]) {
        await plantIdentifiers(g.on.rt, "bench");
        idTables.push(`### ${n} memories\n\n${await benchIdentifiers(g.on.rt, "bench")}\n`);
      }
    } finally {
      await g.on.close();
    }
  }
  console.log("## Store throughput\n");
  console.log(
    "| memories | import/s | import/s graph off | graph on/off | edges | drain links s |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|");
  console.log(imports.join("\n"));
  console.log(
    `\n## Recall latency beside its floors (in-process, warm, top-10, ${nq} queries${
      values.prewarm ? ", after serve's read-ahead" : ""
    }; ms)\n`,
  );
  console.log(RECALL_HEADER);
  console.log(recalls.join("\n"));
  console.log(`\n(load average at the end: ${Deno.loadavg().map(f1).join(", ")})\n`);
  if (idTables.length) {
    console.log("## Identifiers (issue 21: the one memory holding it ranked first)\n");
    console.log(idTables.join("\n"));
  }
}

if (!values["skip-eval"]) {
  const corpus = await loadEvalCorpus();
  await withTempRuntime(async (rt) => {
    const keys = await importEvalCorpus(rt, corpus.memories);
    const reports = [];
    for (const mode of ["bm25", "vector", "hybrid", "hybrid+graph"] as const) {
      reports.push(await evaluate(rt, corpus.queries, keys, mode));
    }
    console.log(
      `## Retrieval quality (tests/fixtures/recall-eval: ${keys.size} memories, ${corpus.queries.length} queries)\n`,
    );
    console.log("| mode | kind | queries | recall@5 | recall@10 | MRR |");
    console.log("|---|---|---:|---:|---:|---:|");
    for (const r of reports) {
      console.log(
        `| ${r.mode} | **all** | ${r.overall.queries} | ${r.overall.recall_at_5} | ${r.overall.recall_at_10} | ${r.overall.mrr} |`,
      );
      for (const [k, s] of Object.entries(r.by_kind)) {
        console.log(
          `| ${r.mode} | ${k} | ${s.queries} | ${s.recall_at_5} | ${s.recall_at_10} | ${s.mrr} |`,
        );
      }
    }
    const hybrid = reports.find((r) => r.mode === "hybrid")!;
    console.log(`\nhybrid misses (no answer in top 10): ${hybrid.misses.join(", ") || "none"}`);
  });
}

if (!values["skip-encryption"]) {
  console.log(await benchEncryption(Number(values["encryption-size"]), Number(values.queries)));
}

if (!values["skip-http"]) {
  console.log("\n## HTTP API (20k memories, real server on loopback)\n");
  console.log(httpBenchTable([await benchHttp(20000)]));
}

if (!values["skip-proxy"]) {
  console.log("\n## Proxy overhead (20k memories, fake upstream on loopback)\n");
  console.log(proxyBenchTable([await benchProxy(20000)]));
}

if (!values["skip-engines"]) {
  // Both engines side by side on a throwaway Postgres cluster (scripts/bench_engines.ts).
  const nq = Number(values.queries);
  console.log(`\n${enginesHeading(nq)}`);
  console.log(await benchEngines(values["engine-sizes"]!.split(",").map(Number), nq));
}
