/**
 * Episodes: memories of one session/conversation form an ordered episode; each turn's window
 * (its neighbours' lines around its own) lives beside it, sealed like content, kept current on
 * every write, and feeds recall. Expected windows are written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { forget, importText, recall, updateMemory } from "../../lib/memory/mod.ts";
import { recallHybrid } from "../../lib/recall/mod.ts";
import {
  contextText,
  decryptAll,
  MIGRATIONS,
  rotateKeys,
  rowsWithKid,
  Store,
} from "../../lib/store/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { cli, okJson } from "../cli/_helpers.ts";

type Turn = { speaker: string; content: string; session?: string; conv?: string; at?: string };

/** Import turns as the conversational eval does: created_at = the session date, metadata. */
function jsonl(turns: Turn[], ns = "chat"): string {
  return turns.map((t) =>
    JSON.stringify({
      namespace: ns,
      content: t.content,
      created_at: t.at ?? "2024-03-02T19:00:00Z",
      metadata: { conv_id: t.conv ?? "c1", session: t.session ?? "session_1", speaker: t.speaker },
    })
  ).join("\n");
}

const CHAT: Turn[] = [
  { speaker: "Jonas", content: "Okay, the great bike dilemma. Did you decide??" },
  { speaker: "Maya", content: "I'll take the teal one. Feeling brave." },
  { speaker: "Jonas", content: "Bold. I love it" },
];

async function windowOf(store: Store, id: string): Promise<string | null> {
  const pk = store.getById(id)!.pk;
  return await Promise.resolve(contextText(store, pk));
}

Deno.test("episodes: each turn's window quotes its neighbours with speakers; content is untouched", async () => {
  await using t = await tempRuntime();
  const { ids } = await importText(t.rt, jsonl(CHAT));
  assert.equal(
    await windowOf(t.rt.store, ids[1]),
    "Jonas: Okay, the great bike dilemma. Did you decide??\n" +
      "Maya: I'll take the teal one. Feeling brave.\n" +
      "Jonas: Bold. I love it",
  );
  assert.equal(
    await windowOf(t.rt.store, ids[0]),
    "Jonas: Okay, the great bike dilemma. Did you decide??\nMaya: I'll take the teal one. Feeling brave.",
  );
  // The memory itself is what was stored, byte for byte.
  assert.equal(t.rt.store.getById(ids[1])!.record.content, CHAT[1].content);
  // Sealed on disk like content (encryption at rest is on by default).
  const raw = t.rt.store.db.prepare("SELECT text, src FROM memory_context").all() as {
    text: string;
    src: string;
  }[];
  assert.equal(raw.length, 3);
  assert.ok(raw.every((r) => r.text.startsWith("enc1:")), "window text stored in plaintext");
  assert.ok(raw.every((r) => r.src.startsWith("enc1:")), "line digest stored in plaintext");
});

Deno.test("episodes: order is created_at then arrival; a late arrival and a rewrite update neighbours", async () => {
  await using t = await tempRuntime();
  const first = await importText(
    t.rt,
    jsonl([
      { speaker: "A", content: "first of the day", at: "2024-03-02T09:00:00Z" },
      { speaker: "B", content: "third of the day", at: "2024-03-02T11:00:00Z" },
    ]),
  );
  // Arrives last but happened in between: it goes between them.
  const mid = await importText(
    t.rt,
    jsonl([{ speaker: "C", content: "second of the day", at: "2024-03-02T10:00:00Z" }]),
  );
  assert.equal(
    await windowOf(t.rt.store, first.ids[0]),
    "A: first of the day\nC: second of the day",
  );
  assert.equal(
    await windowOf(t.rt.store, first.ids[1]),
    "C: second of the day\nB: third of the day",
  );
  await updateMemory(t.rt, { id: mid.ids[0], namespace: "chat", content: "second, rewritten" });
  assert.equal(
    await windowOf(t.rt.store, first.ids[1]),
    "C: second, rewritten\nB: third of the day",
  );
  // Same session name in another conversation, or no session at all: not this episode.
  const other = await importText(
    t.rt,
    jsonl([{ speaker: "D", content: "other chat", conv: "c2" }]),
  );
  assert.equal(await windowOf(t.rt.store, other.ids[0]), "D: other chat");
});

Deno.test("episodes: forgetting a turn removes it from its neighbours' windows and the index", async () => {
  await using t = await tempRuntime();
  const { ids } = await importText(t.rt, jsonl(CHAT));
  forget(t.rt, { ids: [ids[1]], namespace: "chat" });
  assert.equal(
    await windowOf(t.rt.store, ids[0]),
    "Jonas: Okay, the great bike dilemma. Did you decide??\nJonas: Bold. I love it",
  );
  const left = t.rt.store.db.prepare(
    "SELECT count(*) AS n FROM memory_context_fts WHERE memory_context_fts MATCH 'teal'",
  ).get() as { n: number };
  assert.equal(left.n, 0, "the forgotten turn's words are still in the window index");
});

Deno.test("episodes: with [encryption] index = off, sealed windows stay out of the index", async () => {
  await using t = await tempRuntime('[encryption]\nindex = "off"\n');
  await importText(t.rt, jsonl(CHAT));
  const n =
    (t.rt.store.db.prepare("SELECT count(*) AS n FROM memory_context_fts_docsize").get() as {
      n: number;
    }).n;
  assert.equal(n, 0);
});

Deno.test("episodes: memories without a speaker keep their place but get no window", async () => {
  await using t = await tempRuntime();
  const lines = ["note one", "note two"].map((c) => JSON.stringify({ content: c, session: "s1" }));
  const { ids } = await importText(t.rt, lines.join("\n"));
  assert.equal(await windowOf(t.rt.store, ids[0]), "");
  const links = t.rt.store.db.prepare("SELECT prev_pk, next_pk FROM memory_context ORDER BY pk")
    .all() as { prev_pk: number | null; next_pk: number | null }[];
  const pks = ids.map((id) => t.rt.store.getById(id)!.pk);
  assert.deepEqual(links.map((l) => [l.prev_pk, l.next_pk]), [[null, pks[1]], [pks[0], null]]);
});

Deno.test("episodes: recall finds the answer that only its context explains, returned verbatim", async () => {
  await using t = await tempRuntime();
  // Chit-chat around it, so word statistics look like a real chat, and a turn that does
  // mention a bike.
  const chat = (session: string, lines: string[]): Turn[] =>
    lines.map((content, i) => ({ speaker: i % 2 ? "Maya" : "Jonas", content, session }));
  const before = chat("session_1", [
    "Hey Maya! How was your weekend?",
    "Pretty good, mostly a long walk. You?",
    "Quiet one, the neighbours are doing building work at 7am",
    "Ugh, I feel that",
  ]);
  const after = chat("session_2", [
    "My bike got a flat tyre again this morning",
    "Noo, that's rubbish",
    "Have you started the new season of that baking show yet?",
    "Not yet, is it good?",
    "So good. Don't read anything about it",
    "Okay it's going on the list",
    "Anyway I should get some sleep. Talk soon!",
    "Night!",
  ]);
  const { ids } = await importText(t.rt, jsonl([...before, ...CHAT, ...after]));
  ids.splice(0, before.length);
  const query = "Which bike did Maya choose?";
  const found = await recall(t.rt, { query, namespace: "chat", limit: 5, explain: true });
  const answer = found.memories.find((m) => m.id === ids[1]);
  assert.ok(answer, `the answer is not in the top 5: ${found.memories.map((m) => m.content)}`);
  assert.equal(answer.content, CHAT[1].content);
  // It shares no word with the question: only its window (speaker, the question before it)
  // brought it.
  assert.ok(answer.provenance.includes("context"), answer.provenance.join());
  assert.equal(answer.explain!.raw.fts, null);
  assert.ok((answer.explain!.channels.context ?? 0) > 0);
  // Plain bm25 cannot find it at all.
  const bm25 = await recall(t.rt, { query, namespace: "chat", limit: 10, mode: "bm25" });
  assert.ok(bm25.memories.length > 0 && !bm25.memories.some((m) => m.id === ids[1]));
});

Deno.test("episodes: a home from schema v5 gets its windows on the first writable open", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/m.db`;
    const db = new DatabaseSync(path);
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) db.exec(m.sql);
    db.exec("PRAGMA user_version = 5");
    const put = db.prepare(
      `INSERT INTO memories (id, namespace, content, memory_type, status, version, created_at,
       updated_at, evidence_count, metadata, rev) VALUES (?, 'ns', ?, 'episodic', 'active', 1, ?, ?, 1, ?, 1)`,
    );
    for (const [i, [who, text]] of [["Ann", "hello there"], ["Bo", "hi Ann"]].entries()) {
      const at = `2024-01-01T10:0${i}:00.000Z`;
      put.run(`id${i}`, text, at, at, JSON.stringify({ session: "s", speaker: who }));
    }
    db.close();
    const store = Store.open(path);
    try {
      assert.equal(contextText(store, store.getById("id1")!.pk), "Ann: hello there\nBo: hi Ann");
      const left = store.db.prepare("SELECT value FROM meta WHERE key = 'context_backfill'").get();
      assert.equal(left, undefined, "backfill left its marker behind");
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("episodes: `recall --explain` shows the window channels", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-episode-" });
  try {
    const file = `${home}/chat.jsonl`;
    await Deno.writeTextFile(file, jsonl(CHAT) + "\n");
    okJson(await cli(home, "import", "--file", file, "--json"));
    const out = await cli(
      home,
      "recall",
      "--namespace",
      "chat",
      "--explain",
      "Which bike did Maya choose?",
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /I'll take the teal one\. Feeling brave\./);
    assert.match(out.stdout, /context \d\.\d{3}\s+context_vector \d\.\d{3}/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("episodes: key rotation re-wraps windows; decrypting all leaves none sealed", async () => {
  await using t = await tempRuntime();
  const { ids } = await importText(t.rt, jsonl(CHAT));
  const old = t.rt.store.encryption!.cipher!.activeKid()!;
  const r = await rotateKeys(t.rt.store);
  assert.deepEqual(r.retired, [old], "a window still sealed with the old key kept it alive");
  assert.equal(rowsWithKid(t.rt.store, old), 0);
  assert.match(await windowOf(t.rt.store, ids[1]) ?? "", /^Jonas: Okay, the great bike dilemma/);
  await decryptAll(t.rt.store);
  const sealed = t.rt.store.db.prepare(
    "SELECT count(*) AS n FROM memory_context WHERE text LIKE 'enc1:%' OR src LIKE 'enc1:%'",
  ).get() as { n: number };
  assert.equal(sealed.n, 0);
});

Deno.test("episodes: memories in no episode rank exactly as with the episode channels off", async () => {
  await using t = await tempRuntime();
  const lines = [
    "Deploys need a green staging run and sign-off from the on-call engineer",
    "The staging cluster runs on three nodes in Frankfurt",
    "Never deploy on Fridays after 3pm",
    "Rollbacks use the previous container image tag",
  ].map((content) => JSON.stringify({ content, namespace: "dev" }));
  await importText(t.rt, lines.join("\n"));
  t.rt.syncIndex();
  const run = (context: boolean) =>
    recallHybrid({
      store: t.rt.store,
      index: t.rt.index,
      embedder: t.rt.embedder,
      now: () => new Date("2026-06-01T00:00:00Z"),
    }, {
      query: "when can we deploy to staging?",
      filter: { namespace: "dev" },
      limit: 10,
      weights: t.rt.config.recall.weights,
      min_channel_score: 0,
      diversity_factor: 0,
      channels: { context },
    });
  const on = (await run(true)).hits.map((h) => [h.record.content, h.score]);
  const off = (await run(false)).hits.map((h) => [h.record.content, h.score]);
  assert.ok(on.length >= 3);
  assert.deepEqual(on, off);
});
