/**
 * Recall latency beside its floors, measured in the same run (issue 21): a brute-force cosine
 * scan in plain JS over the same vectors (query embedding included, as recall embeds too) and
 * raw SQLite FTS5 with common terms dropped. Every query runs each mode in turn (the order
 * rotates), so load from other processes hits modes and floors alike: read the ratios.
 * Used by bench.ts and bench_http.ts.
 */
import { cpuUsage } from "node:process";
import { recall, type Runtime } from "../lib/memory/mod.ts";
import { ftsOr, queryTerms } from "../lib/recall/text.ts";
import { vectorPage } from "../lib/store/mod.ts";
import { warmTerms } from "../lib/server/warm.ts";

/** Terms found in more than this share of documents are dropped by the FTS5 floor. */
export const FLOOR_COMMON_RATIO = 0.1;

/**
 * p50/p95 of one mode in milliseconds: wall clock, and CPU time of this process (user +
 * system, all threads; SQLite runs on the calling thread), which other processes' load barely
 * moves. On a shared machine read the CPU ratios.
 */
export interface Latency {
  p50: number;
  p95: number;
  cpu50: number;
  cpu95: number;
}

/** One timed thing per query; `run` resolves when the answer is ready. */
export type Timed = Record<string, (q: string) => Promise<unknown> | unknown>;

/** The q-th percentile (nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Time every mode of `modes` on every query, rotating the order per query, after running the
 * first `warm` queries once untimed.
 */
export async function interleaved(
  modes: Timed,
  queries: string[],
  warm = 10,
): Promise<Record<string, Latency>> {
  const names = Object.keys(modes);
  for (const q of queries.slice(0, warm)) for (const n of names) await modes[n](q);
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const [i, q] of queries.entries()) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(i + j) % names.length];
      const c0 = cpuUsage();
      const t0 = performance.now();
      await modes[n](q);
      wall[n].push(performance.now() - t0);
      const c = cpuUsage(c0);
      cpu[n].push((c.user + c.system) / 1000);
    }
  }
  return Object.fromEntries(names.map((n) => [n, {
    p50: percentile(wall[n], 50),
    p95: percentile(wall[n], 95),
    cpu50: percentile(cpu[n], 50),
    cpu95: percentile(cpu[n], 95),
  }]));
}

/**
 * The scan floor: embed the query, then cosine against every vector of the namespace, one
 * `Float32Array` per memory as stored (norms computed, no index, no quantization), keeping
 * the top `k`.
 */
export function scanFloor(rt: Runtime, namespace: string, k = 50) {
  // The vectors as stored (not the index's copies), in fresh arrays of their own.
  const vecs = vectorPage(rt.store, 0, Number.MAX_SAFE_INTEGER)
    .filter((u) => u.namespace === namespace && !u.archived && u.embedding)
    .map((u) => Float32Array.from(u.embedding!));
  return async (query: string) => {
    const [q] = await rt.embedder.embed([query]);
    let qn = 0;
    for (let j = 0; j < q.length; j++) qn += q[j] * q[j];
    const top: number[] = [];
    for (const v of vecs) {
      let d = 0, n = 0;
      for (let j = 0; j < v.length; j++) {
        d += v[j] * q[j];
        n += v[j] * v[j];
      }
      const s = d / (Math.sqrt(n * qn) || 1);
      if (top.length < k || s > top[top.length - 1]) {
        let p = top.length < k ? top.length : k - 1;
        while (p > 0 && top[p - 1] < s) {
          top[p] = top[p - 1];
          p--;
        }
        top[p] = s;
      }
    }
    return top;
  };
}

/**
 * The FTS5 floor: the query's content words as an OR, terms found in more than
 * {@link FLOOR_COMMON_RATIO} of documents dropped (the rarest kept when all are), ranked by
 * FTS5's bm25 alone (no join, no filter), top `k`.
 */
export function ftsFloor(rt: Runtime, k = 50) {
  const db = rt.store;
  const docs = (db.prepare("SELECT count(*) AS n FROM memories").get() as { n: number }).n;
  const df = new Map<string, number>();
  const dfOf = (t: string) => {
    let n = df.get(t);
    if (n === undefined) {
      n = (db.prepare("SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH ?")
        .get(`"${t.replace(/"/g, '""')}"`) as { n: number }).n;
      df.set(t, n);
    }
    return n;
  };
  const search = db.prepare(
    `SELECT rowid, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts
     WHERE memories_fts MATCH ? ORDER BY s LIMIT ?`,
  );
  return (query: string) => {
    const terms = queryTerms(query).slice(0, 24).sort((a, b) => dfOf(a) - dfOf(b));
    const kept = terms.filter((t, i) => i === 0 || dfOf(t) <= FLOOR_COMMON_RATIO * docs);
    const match = ftsOr(kept);
    return match ? search.all(match, k) : [];
  };
}

/** Recall in one mode through the library (what HTTP, MCP and the CLI call). */
export function recallMode(rt: Runtime, namespace: string, mode: string) {
  return (query: string) =>
    recall(rt, {
      query,
      namespace,
      limit: 10,
      ...(mode === "graph off" ? { graph: false } : mode === "hybrid" ? {} : { mode }),
    });
}

/**
 * Latency of hybrid (graph on and off), bm25 and vector recall, and both floors. The first
 * `warm` queries run once untimed first (JIT); with `warm = queries.length` every query has run
 * once, so what recall keeps for a store revision (per-term bm25 values, lib/recall/
 * term_stats.ts) is in place: the figures of a long-running server on a store not being
 * written. The default (10) times each term's first use too. `prewarm` first does what `serve`
 * does at start (lib/server/warm.ts `warmTerms`: the common words' bm25 values read ahead), so
 * the figures are those of the first queries a server answers.
 */
export async function recallLatency(
  rt: Runtime,
  namespace: string,
  queries: string[],
  warm = 10,
  prewarm = false,
) {
  rt.syncIndex();
  if (prewarm) await warmTerms(rt);
  return await interleaved(
    {
      "scan floor": scanFloor(rt, namespace),
      "fts5 floor": ftsFloor(rt),
      hybrid: recallMode(rt, namespace, "hybrid"),
      "graph off": recallMode(rt, namespace, "graph off"),
      bm25: recallMode(rt, namespace, "bm25"),
      vector: recallMode(rt, namespace, "vector"),
    },
    queries,
    warm,
  );
}

const f1 = (x: number) => x.toFixed(1);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The markdown table header for {@link recallRow}. */
export const RECALL_HEADER = [
  "| memories | clock | scan floor p50/p95 | FTS5 floor p50/p95 | hybrid p50/p95 | hybrid p95 ÷ scan | graph off p95 ÷ scan | bm25 p50/p95 | bm25 p95 ÷ FTS5 | vector p50/p95 | vector p95 ÷ scan |",
  "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
].join("\n");

/**
 * Two table rows (wall clock, then CPU time): latencies in ms and each mode's p95 over its
 * floor's p95.
 */
export function recallRow(n: number, r: Record<string, Latency>): string {
  return (["wall", "cpu"] as const).map((clock) => {
    const at = (l: Latency) => clock === "wall" ? [l.p50, l.p95] : [l.cpu50, l.cpu95];
    const pp = (l: Latency) => at(l).map(f1).join(" / ");
    const scan = at(r["scan floor"])[1];
    const p95 = (m: string) => at(r[m])[1];
    return `| ${n} | ${clock} | ${pp(r["scan floor"])} | ${pp(r["fts5 floor"])} | ${
      pp(r.hybrid)
    } | ${ratio(p95("hybrid"), scan)} | ${ratio(p95("graph off"), scan)} | ${pp(r.bm25)} | ${
      ratio(p95("bm25"), p95("fts5 floor"))
    } | ${pp(r.vector)} | ${ratio(p95("vector"), scan)} |`;
  }).join("\n");
}
