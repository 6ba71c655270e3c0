/**
 * HTTP benchmark (issue 3): store throughput and recall latency through the real server on a
 * loopback port, at a given store size (default 20k). Fills with `/v1/store/batch`, measures
 * single `/v1/store` throughput at a fixed concurrency, then recall p50/p95 sequentially
 * (what one agent sees) and under concurrency. Prints markdown.
 *
 *   deno run -A scripts/bench_http.ts [--size 20000] [--queries 200] [--concurrency 16]
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/mod.ts";
import { openRuntime } from "../lib/memory/mod.ts";
import { createApiKey } from "../lib/auth/mod.ts";
import { startServer } from "../lib/server/mod.ts";
import { syntheticMemories, syntheticQueries } from "./synthetic.ts";
import { interleaved, type Latency, scanFloor } from "./bench_recall.ts";

/** Results of one run. */
export interface HttpBenchResult {
  size: number;
  batch_fill_per_sec: number;
  store_per_sec: number;
  store_p50_ms: number;
  store_p95_ms: number;
  recall_p50_ms: number;
  recall_p95_ms: number;
  recall_concurrent_per_sec: number;
  recall_concurrent_p95_ms: number;
  /** Sequential recall over HTTP per mode, beside the in-process scan floor, same run. */
  modes: Record<string, Latency>;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

/** Run the HTTP benchmark at `size` memories. */
export async function benchHttp(
  size = 20_000,
  opts: { queries?: number; concurrency?: number; singleStores?: number } = {},
): Promise<HttpBenchResult> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-bench-http-" });
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  const server = await startServer(rt, "127.0.0.1", 0, { rateLimitPerSec: 0, log: () => {} });
  try {
    const key = (await createApiKey(rt.store, { role: "admin", namespaces: "*" }))!.key;
    const headers = { authorization: `Bearer ${key}` };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
      return text;
    };
    const conc = opts.concurrency ?? 16;
    const singles = Math.min(opts.singleStores ?? 2000, size);
    const lines = syntheticMemories(size).map((l) => {
      const m = JSON.parse(l);
      return { ...m, namespace: "bench" };
    });
    // Fill (size - singles) with batches of 200, 4 in flight.
    const fill = lines.slice(0, size - singles);
    const batches: unknown[][] = [];
    for (let i = 0; i < fill.length; i += 200) batches.push(fill.slice(i, i + 200));
    let t0 = performance.now();
    await pool(batches, 4, async (b) => void await post("/v1/store/batch", { memories: b }));
    const fillSecs = (performance.now() - t0) / 1000;
    // Single stores at `conc` concurrency.
    const storeMs: number[] = [];
    t0 = performance.now();
    await pool(lines.slice(size - singles), conc, async (m) => {
      const s0 = performance.now();
      await post("/v1/store", m);
      storeMs.push(performance.now() - s0);
    });
    const storeSecs = (performance.now() - t0) / 1000;
    // Recall: warm up, then sequential latency, then concurrent throughput.
    const qs = syntheticQueries(opts.queries ?? 200);
    for (const q of qs.slice(0, 10)) await post("/v1/recall", { query: q, namespace: "bench" });
    const over = (extra: Record<string, unknown>) => (query: string) =>
      post("/v1/recall", { query, namespace: "bench", limit: 10, ...extra });
    rt.syncIndex();
    const modes = await interleaved(
      {
        "scan floor": scanFloor(rt, "bench"),
        hybrid: over({}),
        "graph off": over({ graph: false }),
        bm25: over({ mode: "bm25" }),
        vector: over({ mode: "vector" }),
      },
      qs,
      0,
    );
    const concMs: number[] = [];
    t0 = performance.now();
    await pool(qs, conc, async (q) => {
      const s0 = performance.now();
      await post("/v1/recall", { query: q, namespace: "bench", limit: 10 });
      concMs.push(performance.now() - s0);
    });
    const concSecs = (performance.now() - t0) / 1000;
    return {
      size,
      batch_fill_per_sec: Math.round(fill.length / fillSecs),
      store_per_sec: Math.round(singles / storeSecs),
      store_p50_ms: pct(storeMs, 50),
      store_p95_ms: pct(storeMs, 95),
      recall_p50_ms: modes.hybrid.p50,
      recall_p95_ms: modes.hybrid.p95,
      recall_concurrent_per_sec: Math.round(qs.length / concSecs),
      recall_concurrent_p95_ms: pct(concMs, 95),
      modes,
    };
  } finally {
    await server.shutdown();
    rt.close();
    await Deno.remove(home, { recursive: true });
  }
}

/** The markdown table for results. */
export function httpBenchTable(rs: HttpBenchResult[], concurrency = 16): string {
  const f1 = (x: number) => x.toFixed(1);
  return [
    `## HTTP API (loopback, one process, concurrency ${concurrency})\n`,
    "| memories | batch fill/s | /v1/store/s | store p50 ms | store p95 ms | recall p50 ms | recall p95 ms | concurrent recall/s | concurrent recall p95 ms |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rs.map((r) =>
      `| ${r.size} | ${r.batch_fill_per_sec} | ${r.store_per_sec} | ${f1(r.store_p50_ms)} | ${
        f1(r.store_p95_ms)
      } | ${f1(r.recall_p50_ms)} | ${f1(r.recall_p95_ms)} | ${r.recall_concurrent_per_sec} | ${
        f1(r.recall_concurrent_p95_ms)
      } |`
    ),
    "",
    "Sequential recall over HTTP beside the in-process scan floor (same run, interleaved; ms):",
    "",
    "| memories | clock | scan floor p50/p95 | hybrid p50/p95 | ÷ scan p95 | graph off p50/p95 | ÷ scan p95 | bm25 p50/p95 | vector p50/p95 | ÷ scan p95 |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rs.flatMap((r) =>
      (["wall", "cpu"] as const).map((clock) => {
        const at = (l: Latency) => clock === "wall" ? [l.p50, l.p95] : [l.cpu50, l.cpu95];
        const pp = (m: string) => at(r.modes[m]).map(f1).join(" / ");
        const x = (m: string) =>
          `${(at(r.modes[m])[1] / at(r.modes["scan floor"])[1]).toFixed(2)}×`;
        return `| ${r.size} | ${clock} | ${pp("scan floor")} | ${pp("hybrid")} | ${x("hybrid")} | ${
          pp("graph off")
        } | ${x("graph off")} | ${pp("bm25")} | ${pp("vector")} | ${x("vector")} |`;
      })
    ),
    "",
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      size: { type: "string", default: "20000" },
      queries: { type: "string", default: "200" },
      concurrency: { type: "string", default: "16" },
    },
  });
  const concurrency = Number(values.concurrency);
  const r = await benchHttp(Number(values.size), {
    queries: Number(values.queries),
    concurrency,
  });
  console.log(httpBenchTable([r], concurrency));
}
