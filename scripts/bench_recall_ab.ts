/**
 * Recall latency of two checkouts in one process, alternating per query (issue 21): before and
 * after a change, measured beside the scan floor under the same load.
 *
 *   deno run -A --config deno.json scripts/bench_recall_ab.ts --roots BEFORE,AFTER \
 *     --homes HOME_A,HOME_B [--queries 400] [--warm 10] [--namespace bench] \
 *     [--modes "hybrid,graph off"] [--prewarm]
 *
 * Each root is a checkout (`git clone -q /work/main /tmp/base` for the before); its lib/ opens
 * its own home, a copy of one home (`scripts/import_bench.ts --keep DIR`, then drained), so
 * neither side's per-revision values (lib/recall/term_stats.ts) serve the other. Every query
 * runs each root's modes and the scan floor in turn, the order rotating per query
 * ({@link interleaved}); the first `--warm` queries run once untimed. Prints CPU and wall p50 /
 * p95 and each p95 over the scan floor's. Run it twice with the roots swapped: with 2 shared
 * cores a single run's p95 moves by ±15 %. `--prewarm` first runs serve's read-ahead of common
 * words (lib/server/warm.ts `warmTerms`) on each root that has it, as `serve` does at start.
 */
import { parseArgs } from "node:util";
import { interleaved, scanFloor, type Timed } from "./bench_recall.ts";
import { syntheticQueries } from "./synthetic.ts";
import type { Runtime } from "../lib/memory/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    roots: { type: "string" },
    homes: { type: "string" },
    queries: { type: "string", default: "400" },
    warm: { type: "string", default: "10" },
    namespace: { type: "string", default: "bench" },
    modes: { type: "string", default: "hybrid,graph off" },
    prewarm: { type: "boolean", default: false },
  },
});
const roots = values.roots?.split(",") ?? [];
const homes = values.homes?.split(",") ?? [];
if (roots.length !== 2 || homes.length !== 2) {
  console.error("bench_recall_ab: --roots A,B and --homes A,B (two of each) are required");
  Deno.exit(3);
}
const ns = values.namespace!;

/** Open `home` with the lib/ of checkout `root`; recall in each mode through that lib/. */
async function side(root: string, home: string, tag: string, timed: Timed): Promise<Runtime> {
  const base = `file://${Deno.realPathSync(root)}/lib/`;
  const { loadConfig } = await import(`${base}config/mod.ts`);
  const { openRuntime, recall } = await import(`${base}memory/mod.ts`);
  const rt = await openRuntime(
    await loadConfig({ env: (k: string) => (k === "MEMORYOSS_HOME" ? home : undefined) }),
  );
  rt.syncIndex();
  if (values.prewarm) {
    const { warmTerms } = await import(`${base}server/warm.ts`);
    if (warmTerms) {
      const t0 = performance.now();
      const rows = await warmTerms(rt);
      console.log(
        `${tag}: warmTerms read ${rows} rows in ${(performance.now() - t0).toFixed(0)} ms`,
      );
    } else console.log(`${tag}: no warmTerms in ${root}`);
  }
  for (const mode of values.modes!.split(",")) {
    const extra = mode === "graph off" ? { graph: false } : mode === "hybrid" ? {} : { mode };
    timed[`${mode} ${tag}`] = (query: string) =>
      recall(rt, { query, namespace: ns, limit: 10, ...extra });
  }
  return rt;
}

const timed: Timed = {};
const first = await side(roots[0], homes[0], "A", timed);
await side(roots[1], homes[1], "B", timed);
timed["scan floor"] = scanFloor(first, ns);
const r = await interleaved(timed, syntheticQueries(Number(values.queries)), Number(values.warm));
const scan = r["scan floor"];
console.log(`A = ${roots[0]}, B = ${roots[1]}; ${values.queries} queries, ms`);
console.log("| what | CPU p50 / p95 | p95 ÷ scan | wall p50 / p95 | p95 ÷ scan |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, l] of Object.entries(r)) {
  console.log(
    `| ${name} | ${l.cpu50.toFixed(1)} / ${l.cpu95.toFixed(1)} | ${
      (l.cpu95 / scan.cpu95).toFixed(2)
    }× | ${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} | ${(l.p95 / scan.p95).toFixed(2)}× |`,
  );
}
console.log(`\nRSS ${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MB (both sides)`);
console.log(`(load average: ${Deno.loadavg().map((x) => x.toFixed(1)).join(", ")})`);
Deno.exit(0);
