import assert from "node:assert/strict";
import { cosine, createEmbedder, type Embedder } from "../../lib/embed/mod.ts";
import { BUILTIN_VERSION, createBuiltinEmbedder } from "../../lib/embed/builtin.ts";
import { tokenize } from "../../lib/embed/tokenize.ts";

const embedder: Promise<Embedder> = createEmbedder({ provider: "builtin" });

async function sim(a: string, b: string): Promise<number> {
  const [x, y] = await (await embedder).embed([a, b]);
  return cosine(x, y);
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

Deno.test("builtin: id and dim are fixed and the dim is at most 512", async () => {
  const e = await embedder;
  assert.equal(e.id, `builtin:glove50k-sif-ng256@${BUILTIN_VERSION}`);
  assert.equal(e.dim, 356);
  const [v] = await e.embed(["hello"]);
  assert.equal(v.length, e.dim);
  // Other knobs give another id, so their vectors are never mixed with the default ones.
  const tuned = await createBuiltinEmbedder({ hashWeight: 0.5 });
  assert.equal(tuned.id, `${e.id}~hashWeight=0.5`);
  assert.equal((await createBuiltinEmbedder({ hashWeight: 0.4 })).id, e.id);
});

Deno.test("builtin: every output is a finite unit vector, blank and odd input included", async () => {
  const texts = [
    "",
    " ",
    "\n\t",
    "!!!",
    "🎉",
    "a",
    "The the the",
    "東京 データ",
    "x".repeat(70000),
  ];
  const vecs = await (await embedder).embed(texts);
  assert.equal(vecs.length, texts.length);
  for (const [i, v] of vecs.entries()) {
    assert.ok(v.every(Number.isFinite), `non-finite value for ${JSON.stringify(texts[i])}`);
    assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)} for ${JSON.stringify(texts[i])}`);
  }
});

Deno.test("builtin: deterministic across calls, batches and instances", async () => {
  const texts = ["Deploy only after staging signoff", "reciever", "MEMORYOSS_HOME"];
  const e1 = await embedder;
  const a = await e1.embed(texts);
  const b = await e1.embed([...texts].reverse());
  const c = await (await createBuiltinEmbedder()).embed(texts);
  for (let i = 0; i < texts.length; i++) {
    assert.deepEqual(a[i], b[texts.length - 1 - i]);
    assert.deepEqual(a[i], c[i]);
  }
  assert.deepEqual(await e1.embed([]), []);
});

Deno.test("builtin: outputs match the golden digest (bump BUILTIN_VERSION when they change)", async () => {
  const texts = [
    "Deploy only after staging signoff",
    "User prefers tabs over spaces",
    "set MEMORYOSS_HOME=/srv/memoryoss before 2am",
    "",
  ];
  const vecs = await (await embedder).embed(texts);
  // Rounded so the digest survives last-bit float differences between CPUs.
  const rounded = vecs.map((v) => Array.from(v, (x) => Math.round(x * 1e4)));
  const bytes = new TextEncoder().encode(JSON.stringify(rounded));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(
    hex,
    GOLDEN,
    "builtin vectors changed: bump BUILTIN_VERSION in lib/embed/builtin.ts (stored vectors " +
      "become stale and need `memoryoss embed reembed`), then update GOLDEN",
  );
});
const GOLDEN = "269d03d0f1c567b5";

Deno.test("builtin: typos still match the intended word", async () => {
  // "reciever" is not a corpus word (corrected); "enviroment" is a corpus misspelling
  // (only typo-like edits allowed); both must land on the right word.
  for (const [typo, right] of [["reciever", "receiver"], ["enviroment", "environment"]]) {
    const good = await sim(typo, right);
    assert.ok(good > 0.6, `${typo} ~ ${right}: ${good}`);
    for (const other of ["banana", "database", "deploy"]) {
      assert.ok(good > (await sim(typo, other)) + 0.3, `${typo} closer to ${other}`);
    }
  }
  const s = await sim("the reciever drops packets", "the receiver drops packets");
  assert.ok(s > 0.85, `sentence with a typo: ${s}`);
  // Real but rare words are not "corrected" into frequent ones.
  assert.ok((await sim("linter", "winter")) < 0.3, "linter became winter");
});

Deno.test("builtin: identifiers match their spelled-out words", async () => {
  const cases: [string, string, string][] = [
    ["MEMORYOSS_HOME", "memoryoss home", "memory storage"],
    ["parseConfig", "parse config", "parse error"],
    ["kebab-case-name", "kebab case name", "snake case"],
    ["src/lib/embed.ts", "embed ts file in lib", "tests folder"],
  ];
  for (const [id, words, decoy] of cases) {
    const good = await sim(id, words);
    const bad = await sim(id, decoy);
    assert.ok(good > 0.7 && good > bad + 0.2, `${id}: ~words ${good}, ~decoy ${bad}`);
  }
});

Deno.test("builtin: a query naming an identifier finds the memory that has it", async () => {
  const cases: [string, string, string][] = [
    [
      "MEMORYOSS_HOME",
      "set MEMORYOSS_HOME to move the data folder",
      "the home page of the memory app",
    ],
    [
      "JIRA-1234",
      "Ticket JIRA-1234 tracks the login bug",
      "Ticket JIRA-9876 tracks the logout bug",
    ],
    ["port 8080", "The API listens on port 8080", "The API listens on port 9090"],
    [
      "where is pgvector used?",
      "The ingest worker uses pgvector for similarity search",
      "The ingest worker uses Kafka for messages",
    ],
    ["who owns acme-billing?", "Priya owns the acme-billing repo", "Bob owns the search service"],
  ];
  for (const [query, good, decoy] of cases) {
    const [g, d] = [await sim(query, good), await sim(query, decoy)];
    assert.ok(g > d + 0.15, `${query}: ${g} for its memory, ${d} for the decoy`);
  }
});

Deno.test("builtin: meaning, not just letters: synonyms beat unrelated text", async () => {
  const pairs: [string, string, string][] = [
    ["the photo uploading code leaks RAM", "memory leak in the image upload handler", "tabs"],
    ["what database does the app use?", "The project uses PostgreSQL", "lunch on Friday"],
    ["users complain the site is sluggish on phones", "slow page loads on mobile", "bcrypt"],
  ];
  for (const [q, good, bad] of pairs) {
    const [g, b] = [await sim(q, good), await sim(q, bad)];
    assert.ok(g > 0.4 && g > b + 0.3, `${q}: ${g} vs ${b}`);
  }
});

Deno.test("builtin: distinct facts stay below the 0.95 dedup threshold", async () => {
  const pairs = [
    ["The API listens on port 8080", "The API listens on port 9090"],
    ["Always use tabs", "Never use tabs"],
    ["Use Python 3.11 for this project", "Use Python 3.12 for this project"],
    ["The user prefers tabs", "The user prefers spaces"],
  ];
  for (const [a, b] of pairs) {
    const s = await sim(a, b);
    assert.ok(s < 0.95, `${a} ~ ${b}: ${s}`);
  }
  assert.ok((await sim("User prefers tabs", "user prefers tabs.")) > 0.999, "case/punctuation");
});

Deno.test("tokenize: identifiers, paths and contractions", () => {
  const parts = (t: string) => tokenize(t).map((x) => x.parts);
  assert.deepEqual(parts("MEMORYOSS_HOME"), [["memoryoss", "home"]]);
  assert.deepEqual(parts("parseConfig HTTPServer v2Api"), [
    ["parse", "config"],
    ["http", "server"],
    ["v", "2", "api"],
  ]);
  assert.deepEqual(parts("src/lib/embed.ts"), [["src", "lib", "embed", "ts"]]);
  assert.deepEqual(parts("don't we're user’s"), [["do", "not"], ["we", "are"], ["user"]]);
  assert.deepEqual(tokenize("Kebab-Case")[0].whole, "kebab-case");
  assert.deepEqual(tokenize("  ...  "), []);
});
