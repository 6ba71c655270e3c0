/**
 * The builtin word table: loaded once per process from `assets/glove50k.i8.bin`, plus the
 * fallbacks used when a word is not in it (developer abbreviations, light stemming, one-edit
 * typo correction).
 *
 * @module
 */
import {
  type AssetHeader,
  assetLayout,
  type AssetSections,
  decodeFront,
  decodeHeader,
  decodeSections,
  HEADER_BYTES,
} from "./asset.ts";
import { bloomHas } from "./bloom.ts";
import { WordIndex } from "./word_index.ts";

/** A word table with its lookup index. */
export interface Vocab {
  /**
   * The decoded asset; its words stay in `index` (no string per word until asked for). The
   * rows of `vectors` are readable once {@link Vocab.need} named them.
   */
  table: Omit<AssetSections, "wordBlock">;
  /** Word → id and id → word. */
  index: WordIndex;
  /**
   * Make these words' rows of `table.vectors` readable: the 5 MB of int8 vectors are read in
   * blocks as words need them (a query or one memory touches a few dozen), and all at once
   * when a quarter of them has been asked for (bulk embedding).
   */
  need(ids: readonly number[]): void;
}

/** A table word standing for a text word, with how much to trust the substitution. */
export interface Hit {
  id: number;
  trust: number;
}

const ASSET = new URL("./assets/glove50k.i8.bin", import.meta.url);
let loading: Promise<Vocab> | null = null;

/**
 * The process-wide vocabulary (the asset is read and indexed on first use only).
 *
 * @example
 * ```ts
 * const vocab = await loadVocab();
 * vocab.index.get("the"); // 0
 * ```
 */
export function loadVocab(): Promise<Vocab> {
  loading ??= Promise.resolve().then(() => openTable(ASSET)).catch((e) => {
    loading = null; // let a later call retry, e.g. after a permission prompt
    throw e;
  });
  return loading;
}

/**
 * The table's header alone (dimensions, component count): what an embedder must announce
 * before its first use, without reading the 6 MB table.
 *
 * @example
 * ```ts
 * (await loadVocabHeader()).dim; // 100
 * ```
 */
export function loadVocabHeader(): Promise<AssetHeader> {
  // Synchronous reads (40 bytes, on every start of a command that embeds): an async read is a
  // hop to Deno's I/O threads and back, which on a loaded machine waits for the scheduler.
  try {
    using file = Deno.openSync(ASSET);
    const head = new Uint8Array(HEADER_BYTES);
    let got = 0;
    while (got < head.length) {
      const n = file.readSync(head.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    return Promise.resolve(decodeHeader(head.subarray(0, got)));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Build the lookup index for the asset's bytes.
 *
 * @example
 * ```ts
 * const vocab = indexTable(await Deno.readFile("glove50k.i8.bin"));
 * ```
 */
export function indexTable(bytes: Uint8Array): Vocab {
  const { wordBlock, ...table } = decodeSections(bytes);
  return { table, index: WordIndex.build(wordBlock, table.count), need: () => {} };
}

/** Rows of the vector table read together (about 25 KB at 100 dimensions). */
const ROWS_PER_BLOCK = 256;

/** Read `into.length` bytes of `file` from `at`; throws at the end of the file. */
function readAt(file: Deno.FsFile, at: number, into: Uint8Array): Uint8Array {
  file.seekSync(at, Deno.SeekMode.Start);
  for (let got = 0; got < into.length;) {
    const n = file.readSync(into.subarray(got));
    if (!n) throw new Error("word-vector asset ends early");
    got += n;
  }
  return into;
}

/**
 * The table from the asset file without its int8 vectors: those are read by {@link
 * Vocab.need}, block by block (the file is opened for each read, so no handle stays open).
 * The same values as {@link indexTable} of the whole file.
 */
function openTable(url: URL): Vocab {
  const file = Deno.openSync(url);
  let header: AssetHeader, front: ReturnType<typeof decodeFront>, back: Uint8Array;
  let at: ReturnType<typeof assetLayout>;
  try {
    header = decodeHeader(readAt(file, 0, new Uint8Array(HEADER_BYTES)));
    at = assetLayout(header);
    const size = file.statSync().size;
    if (size !== at.size) throw new Error(`asset is ${size} bytes, header says ${at.size}`);
    front = decodeFront(readAt(file, 0, new Uint8Array(at.vectors)), header);
    back = readAt(file, at.words, new Uint8Array(at.size - at.words));
  } finally {
    file.close();
  }
  const { count, dim, wordBytes } = header;
  const vectors = new Int8Array(count * dim);
  const bytes = new Uint8Array(vectors.buffer);
  const blocks = Math.ceil(count / ROWS_PER_BLOCK);
  const loaded = new Uint8Array(blocks);
  let loadedCount = 0;
  const span = (
    b: number,
  ) => [b * ROWS_PER_BLOCK * dim, Math.min(count, (b + 1) * ROWS_PER_BLOCK) * dim];
  const need = (ids: readonly number[]) => {
    if (loadedCount === blocks) return;
    let missing: number[] | null = null;
    for (const id of ids) {
      const b = Math.floor(id / ROWS_PER_BLOCK);
      if (!loaded[b] && !missing?.includes(b)) (missing ??= []).push(b);
    }
    if (!missing) return;
    const all = (loadedCount + missing.length) * 4 > blocks;
    const file = Deno.openSync(url);
    try {
      if (all) readAt(file, at.vectors, bytes);
      else {
        for (const b of missing) {
          const [from, to] = span(b);
          readAt(file, at.vectors + from, bytes.subarray(from, to));
        }
      }
    } finally {
      file.close();
    }
    for (const b of all ? loaded.keys() : missing) {
      if (!loaded[b]) loadedCount++;
      loaded[b] = 1;
    }
  };
  const table = {
    ...front,
    vectors,
    bloom: back.subarray(wordBytes),
  };
  return { table, index: WordIndex.build(back.subarray(0, wordBytes), count), need };
}

/**
 * Developer shorthand the news corpus does not know, mapped to words it does. Only consulted
 * for words missing from the table.
 */
const ALIASES: Record<string, string[]> = {
  config: ["configuration"],
  configs: ["configuration"],
  cfg: ["configuration"],
  conf: ["configuration"],
  env: ["environment"],
  envs: ["environments"],
  repo: ["repository"],
  repos: ["repositories"],
  auth: ["authentication"],
  authn: ["authentication"],
  authz: ["authorization"],
  db: ["database"],
  dbs: ["databases"],
  prod: ["production"],
  dev: ["development"],
  devs: ["developers"],
  deps: ["dependencies"],
  dep: ["dependency"],
  docs: ["documentation"],
  doc: ["documentation"],
  pr: ["pull", "request"],
  prs: ["pull", "requests"],
  ci: ["continuous", "integration"],
  args: ["arguments"],
  arg: ["argument"],
  params: ["parameters"],
  param: ["parameter"],
  impl: ["implementation"],
  perf: ["performance"],
  msg: ["message"],
  msgs: ["messages"],
  err: ["error"],
  errs: ["errors"],
  fn: ["function"],
  func: ["function"],
  async: ["asynchronous"],
  sync: ["synchronize"],
  dir: ["directory"],
  dirs: ["directories"],
  tmp: ["temporary"],
  temp: ["temporary"],
  pwd: ["password"],
  postgres: ["postgresql"],
  sqlite: ["database"],
  mongodb: ["database"],
  frontend: ["front-end"],
  backend: ["backend"],
  signup: ["registration"],
  k8s: ["cluster"],
  kubernetes: ["cluster"],
  typescript: ["javascript"],
  ts: ["javascript"],
  js: ["javascript"],
  py: ["python"],
  github: ["repository"],
  git: ["repository"],
  vm: ["virtual", "machine"],
  ui: ["interface"],
  ux: ["usability"],
  timezone: ["time", "zone"],
  timezones: ["time", "zones"],
  codebase: ["code"],
  todo: ["task"],
  todos: ["tasks"],
  oncall: ["on-call"],
  docker: ["container"],
  redis: ["cache"],
  admin: ["administrator"],
  admins: ["administrators"],
  pytest: ["testing"],
  vitest: ["testing"],
  unittest: ["testing"],
  npm: ["package"],
  pnpm: ["package"],
  uptime: ["availability"],
};

const SUFFIXES: [string, string][] = [
  ["ies", "y"],
  ["es", ""],
  ["s", ""],
  ["ing", ""],
  ["ing", "e"],
  ["ed", ""],
  ["ed", "e"],
  ["ly", ""],
  ["isation", "ization"],
  ["ise", "ize"],
  ["ised", "ized"],
  ["our", "or"],
];

/** Trust given to a stemmed form and to a one-edit correction. */
const STEM_TRUST = 0.9;
const TYPO_TRUST = 0.6;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz";
const MAX_TYPO_LENGTH = 20;

/**
 * Table words for a lowercased text word: itself, else an alias, else a stem, else (for
 * plain words of 5+ letters that are not real words left out of the table) the most
 * frequent word one edit away. Empty when none fits.
 *
 * @example
 * ```ts
 * lookup(vocab, "reciever"); // [{ id: <"receiver">, trust: 0.6 }]
 * ```
 */
export function lookup(vocab: Vocab, word: string): Hit[] {
  const direct = vocab.index.get(word);
  if (direct !== undefined) return [{ id: direct, trust: 1 }];
  const alias = ALIASES[word];
  if (alias) {
    const hits = alias.map((a) => vocab.index.get(a)).filter((id) => id !== undefined);
    if (hits.length > 0) return hits.map((id) => ({ id, trust: 1 }));
  }
  const stem = stemmed(vocab, word);
  if (stem !== undefined) return [{ id: stem, trust: STEM_TRUST }];
  // Length cap: the candidate count grows with length, and 20+ letter "words" are not typos.
  if (word.length < 5 || word.length > MAX_TYPO_LENGTH || !/^[a-z]+$/.test(word)) return [];
  // A real but rare word ("linter") must not become a frequent one ("winter"); corpus
  // misspellings ("enviroment") are real words too, so keep the edits typos usually are.
  const typo = corrected(vocab, word, isKnownRare(vocab, word));
  return typo === undefined ? [] : [{ id: typo, trust: TYPO_TRUST }];
}

/**
 * Whether `word` is a real source word that was left out of the table (Bloom filter, so
 * about 2% of unknown strings also answer true).
 *
 * @example
 * ```ts
 * isKnownRare(vocab, "linter"); // true: rare, but not a typo of "winter"
 * ```
 */
export function isKnownRare(vocab: Vocab, word: string): boolean {
  return bloomHas(vocab.table.bloom, vocab.table.bloomK, word);
}

function stemmed(vocab: Vocab, word: string): number | undefined {
  for (const [suffix, repl] of SUFFIXES) {
    if (word.length < suffix.length + 3 || !word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    const id = vocab.index.get(base + repl);
    if (id !== undefined) return id;
    // "stopped" -> "stop", "running" -> "run"
    const n = base.length;
    if (repl === "" && n > 2 && base[n - 1] === base[n - 2]) {
      const undoubled = vocab.index.get(base.slice(0, -1));
      if (undoubled !== undefined) return undoubled;
    }
  }
  return undefined;
}

/**
 * Norvig-style: deletes, transposes, replaces and inserts; the most frequent hit wins.
 * `strict` keeps only transposes, inserts and deletes of a doubled letter.
 */
function corrected(vocab: Vocab, word: string, strict: boolean): number | undefined {
  let best: number | undefined;
  const consider = (cand: string) => {
    const id = vocab.index.get(cand);
    if (id !== undefined && (best === undefined || id < best)) best = id;
  };
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail && (!strict || tail[0] === tail[1])) consider(head + tail.slice(1));
    if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of ALPHABET) {
      if (tail && !strict) consider(head + c + tail.slice(1));
      consider(head + c + tail);
    }
  }
  return best;
}
