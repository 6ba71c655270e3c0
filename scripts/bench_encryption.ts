/**
 * Encryption at rest, measured in one run: import throughput and recall latency with
 * `[encryption] enabled` on vs off (same corpus, same queries), and retrieval quality with
 * `index = "on"` vs `"off"` (encrypted memories left out of bm25/exact). Used by bench.ts.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { importText, openRuntime, recall, type Runtime } from "../lib/memory/mod.ts";
import { evaluate, importEvalCorpus, loadEvalCorpus } from "./recall_eval.ts";
import { syntheticMemories, syntheticQueries } from "./synthetic.ts";

interface Home {
  rt: Runtime;
  close(): Promise<void>;
}

async function openHome(toml: string): Promise<Home> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-bench-enc-" });
  await Deno.writeTextFile(`${home}/memoryoss.toml`, toml);
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  return {
    rt,
    close: async () => {
      rt.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

async function withHome<T>(toml: string, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const h = await openHome(toml);
  try {
    return await fn(h.rt);
  } finally {
    await h.close();
  }
}

const conf = (enabled: boolean, index = "on") =>
  `[encryption]\nenabled = ${enabled}\nindex = "${index}"\n`;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Both homes side by side: imports in alternating chunks, then each query on one and the
 * other in turn, so load from other processes hits both alike.
 */
export async function measure(n: number, nq: number) {
  const homes = [await openHome(conf(false)), await openHome(conf(true))];
  try {
    const lines = syntheticMemories(n);
    const importMs = [0, 0];
    const made = [0, 0];
    for (let i = 0; i < lines.length; i += 1000) {
      const chunk = lines.slice(i, i + 1000).join("\n");
      for (const j of [0, 1]) {
        const t0 = performance.now();
        const res = await importText(homes[j].rt, chunk, { namespace: "bench" });
        importMs[j] += performance.now() - t0;
        made[j] += res.created + res.merged;
      }
    }
    for (const h of homes) h.rt.syncIndex();
    const qs = syntheticQueries(nq);
    const times: number[][] = [[], []];
    for (const q of qs.slice(0, 10)) {
      for (const h of homes) await recall(h.rt, { query: q, namespace: "bench" });
    }
    for (const q of qs) {
      for (const j of [0, 1]) {
        const t = performance.now();
        await recall(homes[j].rt, { query: q, namespace: "bench", limit: 10 });
        times[j].push(performance.now() - t);
      }
    }
    return [0, 1].map((j) => ({
      rate: made[j] / (importMs[j] / 1000),
      p50: percentile(times[j], 50),
      p95: percentile(times[j], 95),
    }));
  } finally {
    for (const h of homes) await h.close();
  }
}

/** Markdown for the encryption section of the bench. */
export async function benchEncryption(n: number, nq: number): Promise<string> {
  const [off, on] = await measure(n, nq);
  const f1 = (x: number) => x.toFixed(1);
  const out = [
    `## Encryption at rest (${n} memories, ${nq} queries, both homes interleaved)\n`,
    "| encryption | import/s | hybrid p50 ms | hybrid p95 ms |",
    "|---|---:|---:|---:|",
    `| off | ${off.rate.toFixed(0)} | ${f1(off.p50)} | ${f1(off.p95)} |`,
    `| on | ${on.rate.toFixed(0)} | ${f1(on.p50)} | ${f1(on.p95)} |`,
    `| on/off | ${(on.rate / off.rate).toFixed(2)}× | ${(on.p50 / off.p50).toFixed(2)}× | ${
      (on.p95 / off.p95).toFixed(2)
    }× |`,
    "",
  ];
  const corpus = await loadEvalCorpus();
  out.push(
    `### Quality with index = "on" vs "off" (recall-eval, ${corpus.queries.length} queries)\n`,
    "| index | mode | recall@5 | recall@10 | MRR |",
    "|---|---|---:|---:|---:|",
  );
  for (const index of ["on", "off"]) {
    await withHome(conf(true, index), async (rt) => {
      const keys = await importEvalCorpus(rt, corpus.memories);
      for (const mode of ["bm25", "hybrid"] as const) {
        const r = await evaluate(rt, corpus.queries, keys, mode);
        out.push(
          `| ${index} | ${mode} | ${r.overall.recall_at_5} | ${r.overall.recall_at_10} | ${r.overall.mrr} |`,
        );
      }
    });
  }
  return out.join("\n") + "\n";
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? 20000);
  console.log(await benchEncryption(n, Number(Deno.args[1] ?? 200)));
}
