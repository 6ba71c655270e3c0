/**
 * Import throughput with the memory graph built on the write path (`[graph] link_on_write`,
 * the default) vs without it, measured in one run: after a warm-up, two homes filled in
 * alternating chunks (1000 memories; 250 up to 5k), so load from other processes hits both
 * alike. Used by bench.ts.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { drain, importText, openRuntime, type Runtime } from "../lib/memory/mod.ts";
import { edgeCounts } from "../lib/graph/mod.ts";
import { syntheticMemories } from "./synthetic.ts";

/** A temporary home with extra config; `close` removes it. */
export interface BenchHome {
  rt: Runtime;
  close(): Promise<void>;
}

/** Open a fresh temporary home with `toml` as its config file. */
export async function openBenchHome(toml = ""): Promise<BenchHome> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-bench-" });
  if (toml) await Deno.writeTextFile(`${home}/memoryoss.toml`, toml);
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

/** Result of {@link importGraphOnOff}: the graph-on home stays open for recall latency. */
export interface GraphImport {
  /** Default config (graph built on write); the caller closes it. */
  on: BenchHome;
  /** Memories per second, graph on and off. */
  rateOn: number;
  rateOff: number;
  /** Seconds the drain after the graph-on import took to write its deferred links. */
  drainSec: number;
  /** Edges the graph-on import (and its drain) wrote. */
  edges: number;
}

const OFF = "[graph]\nlink_on_write = false\n";

/** Import `n` synthetic memories into a graph-on and a graph-off home, alternating chunks. */
export async function importGraphOnOff(n: number, namespace = "bench"): Promise<GraphImport> {
  // Warm up both code paths first: otherwise the first home pays for compiling everything.
  for (const toml of ["", OFF]) {
    const h = await openBenchHome(toml);
    await importText(h.rt, syntheticMemories(300).join("\n"), { namespace: "warmup" });
    await h.close();
  }
  const on = await openBenchHome();
  const off = await openBenchHome(OFF);
  try {
    const lines = syntheticMemories(n);
    const ms = [0, 0];
    const made = [0, 0];
    const step = n <= 5000 ? 250 : 1000;
    for (let i = 0; i < lines.length; i += step) {
      const chunk = lines.slice(i, i + step).join("\n");
      // Alternate which home goes first, so neither always runs on a warmer cache.
      const order = (i / step) % 2 === 0 ? [0, 1] : [1, 0];
      for (const j of order) {
        const t0 = performance.now();
        const res = await importText([on, off][j].rt, chunk, { namespace });
        ms[j] += performance.now() - t0;
        made[j] += res.created + res.merged;
      }
    }
    // An import leaves graph links to the next drain (lib/memory/import_links.ts): drain, so
    // the edge count and the recall measured on this home include them.
    const d0 = performance.now();
    await drain(on.rt);
    const drainSec = (performance.now() - d0) / 1000;
    const counts = edgeCounts(on.rt.store);
    return {
      on,
      rateOn: made[0] / (ms[0] / 1000),
      rateOff: made[1] / (ms[1] / 1000),
      drainSec,
      edges: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  } catch (e) {
    await on.close();
    throw e;
  } finally {
    await off.close();
  }
}
