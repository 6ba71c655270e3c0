/**
 * Both memory engines side by side (issue 22): for each size, the same synthetic memories
 * (scripts/synthetic.ts) with seeded random 384-d unit vectors are written through
 * `MemoryEngine.write` in batches of 500 into a SQLite file and a Postgres schema, then
 * `searchText` and `nearest` (top 10, `queries` queries, interleaved with the floors) are timed
 * (after one first `nearest` per engine, timed apart: it fills the process's vector index)
 * beside floors measured in the same run: a brute-force cosine scan in JS over the same vectors
 * in one Float32Array, and raw FTS5 MATCH on the SQLite file. Disk per memory: the SQLite file
 * after a WAL checkpoint; Postgres `pg_total_relation_size` summed over the schema's tables.
 * Without `--url` a throwaway Postgres cluster is started (tests/_support/postgres.ts) and
 * stopped at the end. Prints markdown; read the ratios (the floors share the machine's load).
 *
 *   deno run -A scripts/bench_engines.ts [--sizes 1000,20000] [--queries 200]
 *                                        [--url postgres://USER@HOST:PORT/DB] [--scale 1m]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import postgres from "postgres";
import { newRecord, SqliteEngine } from "../lib/store/mod.ts";
import type { MemoryEngine, MemoryWrite } from "../lib/store/mod.ts";
import { PostgresEngine } from "../lib/store/postgres/mod.ts";
import { ftsOr, queryTerms } from "../lib/recall/text.ts";
import { prng, syntheticMemories, syntheticQueries } from "./synthetic.ts";
import { interleaved, type Latency } from "./bench_recall.ts";
import { startPostgres } from "../tests/_support/postgres.ts";

const DIM = 384;
const BATCH = 500;
const NS = "bench";
const K = 10;

const HELP = `Usage: deno run -A scripts/bench_engines.ts [options]

Times the SQLite and Postgres memory engines side by side (import rate, searchText and nearest
p50/p95, the first nearest call that fills the index, disk bytes per memory) beside a JS
cosine-scan floor and a raw FTS5 floor.

Options:
  --sizes N,N      memory counts (default 1000,20000)
  --queries N      queries per size (default 200)
  --url URL        an existing Postgres database (a schema per size is created in it);
                   without it a throwaway cluster is started and stopped
  --scale 1m       also run 1,000,000 memories (slow; never run by CI)
  --help           this text

Example:
  deno run -A scripts/bench_engines.ts --sizes 1000,20000
  deno run -A scripts/bench_engines.ts --sizes 5000 --url postgres://postgres@127.0.0.1:5432/bench`;

/** `n` seeded random unit vectors of {@link DIM} dimensions, one Float32Array row-major. */
export function unitVectors(n: number, seed: number): Float32Array {
  const r = prng(seed);
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < DIM; j++) {
      // Sum of uniforms: roughly normal, so directions are spread evenly enough.
      const x = r() + r() + r() - 1.5;
      out[i * DIM + j] = x;
      s += x * x;
    }
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < DIM; j++) out[i * DIM + j] /= norm;
  }
  return out;
}

/** Write `lines` with `vecs` through `engine` in batches; returns memories per second. */
async function importAll(engine: MemoryEngine, lines: string[], vecs: Float32Array) {
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i += BATCH) {
    const rows: MemoryWrite[] = [];
    for (let k = i; k < Math.min(i + BATCH, lines.length); k++) {
      const m = JSON.parse(lines[k]);
      rows.push({
        op: "insert",
        record: newRecord({ id: `m${k}`, namespace: NS, ...m }),
        vector: { embedding: vecs.slice(k * DIM, (k + 1) * DIM), embedderId: "bench-random" },
      });
    }
    await engine.write(NS, rows);
  }
  return lines.length / ((performance.now() - t0) / 1000);
}

/** The scan floor: cosine of `q` against every row of `vecs` (norms computed), top K. */
function scan(vecs: Float32Array, n: number, q: Float32Array): number[] {
  let qn = 0;
  for (let j = 0; j < DIM; j++) qn += q[j] * q[j];
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    let d = 0, m = 0;
    const o = i * DIM;
    for (let j = 0; j < DIM; j++) {
      d += vecs[o + j] * q[j];
      m += vecs[o + j] * vecs[o + j];
    }
    const s = d / (Math.sqrt(m * qn) || 1);
    if (top.length < K || s > top[top.length - 1]) {
      let p = top.length < K ? top.length : K - 1;
      while (p > 0 && top[p - 1] < s) {
        top[p] = top[p - 1];
        p--;
      }
      top[p] = s;
    }
  }
  return top;
}

/** Bytes of the SQLite file after folding the WAL back in. */
function sqliteBytes(engine: SqliteEngine, path: string): number {
  engine.store.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get();
  let b = Deno.statSync(path).size;
  try {
    b += Deno.statSync(`${path}-wal`).size;
  } catch { /* no WAL */ }
  return b;
}

/** `pg_total_relation_size` (heap, indexes, TOAST) summed over the tables of `schema`. */
async function pgBytes(url: string, schema: string): Promise<number> {
  const sql = postgres(url, { onnotice: () => {}, max: 1 });
  try {
    const [r] = await sql`SELECT coalesce(sum(pg_total_relation_size(
      format('%I.%I', schemaname, tablename)::regclass)), 0)::bigint AS b
      FROM pg_tables WHERE schemaname = ${schema}`;
    return Number(r.b);
  } finally {
    await sql.end();
  }
}

/** One engine's figures at one size. */
interface EngineRow {
  rate: number;
  bytes: number;
  /** The first `nearest` call (ms): it fills the process's index of the namespace. */
  fill: number;
}

/** Figures of one size: per engine, and every timed mode. */
export interface SizeResult {
  n: number;
  engines: Record<"sqlite" | "postgres", EngineRow>;
  latency: Record<string, Latency>;
  pgVectors: string;
}

/** Run one size against a fresh SQLite file and a fresh schema `schema` of `pgUrl`. */
export async function benchSize(n: number, nq: number, pgUrl: string): Promise<SizeResult> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-bench-engines-" });
  const path = join(dir, "memoryoss.db");
  const schema = `bench_${n}_${Date.now().toString(36)}`;
  const lines = syntheticMemories(n);
  const vecs = unitVectors(n, 42);
  const lite = SqliteEngine.open(path);
  let pg: PostgresEngine | null = null;
  try {
    pg = await PostgresEngine.open(`${pgUrl}${pgUrl.includes("?") ? "&" : "?"}schema=${schema}`);
    const liteRate = await importAll(lite, lines, vecs);
    const pgRate = await importAll(pg, lines, vecs);
    const qv = unitVectors(nq, 7);
    const qvec = (i: number) => qv.subarray(i * DIM, (i + 1) * DIM);
    const terms = syntheticQueries(nq).map((q) => queryTerms(q).slice(0, 24));
    const fts = lite.store.prepare(
      `SELECT rowid, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts
       WHERE memories_fts MATCH ? ORDER BY s LIMIT ?`,
    );
    const e = pg;
    const f = { namespace: NS };
    // The first `nearest` of a process fills its index of the namespace: timed on its own.
    const firstNearest = async (engine: MemoryEngine) => {
      const t0 = performance.now();
      await engine.nearest(f, qvec(0), K);
      return performance.now() - t0;
    };
    const fill = { sqlite: await firstNearest(lite), postgres: await firstNearest(pg) };
    const latency = await interleaved({
      "scan floor": (q) => scan(vecs, n, qvec(Number(q))),
      "fts5 floor": (q) => {
        const m = ftsOr(terms[Number(q)]);
        return m ? fts.all(m, K) : [];
      },
      "sqlite searchText": (q) => lite.searchText(f, terms[Number(q)], K),
      "sqlite nearest": (q) => lite.nearest(f, qvec(Number(q)), K),
      "postgres searchText": (q) => e.searchText(f, terms[Number(q)], K),
      "postgres nearest": (q) => e.nearest(f, qvec(Number(q)), K),
    }, Array.from({ length: nq }, (_, i) => String(i)));
    return {
      n,
      engines: {
        sqlite: { rate: liteRate, bytes: sqliteBytes(lite, path) / n, fill: fill.sqlite },
        postgres: {
          rate: pgRate,
          bytes: (await pgBytes(pgUrl, schema)) / n,
          fill: fill.postgres,
        },
      },
      latency,
      pgVectors: pg.describe().vectors,
    };
  } finally {
    await lite.close();
    await pg?.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const f1 = (x: number) => x.toFixed(1);
/** Milliseconds: two decimals below 10 ms, one above. */
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);
const pp = (l: Latency) => `${ms(l.p50)} / ${ms(l.p95)}`;
const ratio = (a: Latency, b: Latency) => `${(a.p95 / b.p95).toFixed(2)}×`;

/** The markdown table of every size: floors first, then each engine, ratios over the floors. */
export function enginesTable(results: SizeResult[]): string {
  const out = [
    "| memories | engine | import/s | searchText p50/p95 ms | p95 ÷ FTS5 floor | nearest p50/p95 ms | p95 ÷ scan floor | first nearest ms | disk bytes/memory |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const l = r.latency;
    out.push(
      `| ${r.n} | floors | — | ${pp(l["fts5 floor"])} | 1.00× | ${
        pp(l["scan floor"])
      } | 1.00× | — | — |`,
    );
    for (const e of ["sqlite", "postgres"] as const) {
      const name = e === "postgres" ? `postgres (${r.pgVectors})` : "sqlite";
      const s = l[`${e} searchText`], v = l[`${e} nearest`];
      out.push(
        `| ${r.n} | ${name} | ${r.engines[e].rate.toFixed(0)} | ${pp(s)} | ${
          ratio(s, l["fts5 floor"])
        } | ${pp(v)} | ${ratio(v, l["scan floor"])} | ${ms(r.engines[e].fill)} | ${
          r.engines[e].bytes.toFixed(0)
        } |`,
      );
    }
  }
  return out.join("\n");
}

/** Every size against `url`, or a throwaway cluster when it is undefined. */
export async function benchEngines(sizes: number[], nq: number, url?: string) {
  const cluster = url ? null : await startPostgres();
  try {
    const pgUrl = url ?? await cluster!.createDatabase("bench");
    const results: SizeResult[] = [];
    for (const n of sizes) {
      const t0 = performance.now();
      results.push(await benchSize(n, nq, pgUrl));
      console.error(
        `bench_engines: ${n} memories done in ${f1((performance.now() - t0) / 1000)} s`,
      );
    }
    return enginesTable(results);
  } finally {
    await cluster?.stop();
  }
}

/** The section's heading and notes (bench.ts prints it too). */
export function enginesHeading(nq: number): string {
  return `## Engines side by side (in-process, warm, top-${K}, ${nq} queries, wall clock; ` +
    `${DIM}-d seeded random unit vectors, batches of ${BATCH})\n`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "1000,20000" },
      queries: { type: "string", default: "200" },
      url: { type: "string" },
      scale: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  const sizes = values.sizes!.split(",").map(Number);
  if (values.scale === "1m") sizes.push(1_000_000);
  else if (values.scale !== undefined) {
    console.error(`--scale: only "1m" is known, got "${values.scale}"`);
    Deno.exit(3);
  }
  const nq = Number(values.queries);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(nq) || nq < 1) {
    console.error("--sizes and --queries take positive integers (e.g. --sizes 1000,20000)");
    Deno.exit(3);
  }
  console.log(enginesHeading(nq));
  console.log(await benchEngines(sizes, nq, values.url));
  console.log(`\n(load average at the end: ${Deno.loadavg().map(f1).join(", ")})`);
}
