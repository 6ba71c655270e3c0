/**
 * The conversational recall eval (scripts/conv_eval/, tests/fixtures/recall-eval-conv/): its
 * metrics against hand-computed values, the committed fixture against its generator, the
 * corpus shape the eval promises, and the protocol (CLI import, library recall equal to CLI
 * recall) on one conversation.
 */
import assert from "node:assert/strict";
import {
  average,
  DEFAULT_SEED,
  generateCorpus,
  importLine,
  KINDS,
  loadCorpus,
  namespaceOf,
  scoreRanking,
  separationAuc,
  splitOf,
} from "../../scripts/conv_eval/mod.ts";
import { cli, okJson } from "../cli/_helpers.ts";

Deno.test("conv eval: recall@k, MRR and nDCG@10 match values computed by hand", () => {
  // Evidence {a, c}; ranking c, x, a, …: recall@1 = 1/2, recall@5 = 2/2, first hit at rank 1.
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.6309 → nDCG = 0.9197.
  const s = scoreRanking(["c", "x", "a", "y"], ["a", "c"]);
  assert.deepEqual(
    { r1: s.r1, r5: s.r5, r10: s.r10, rr: s.rr },
    { r1: 0.5, r5: 1, r10: 1, rr: 1 },
  );
  assert.ok(Math.abs(s.ndcg - 0.9197) < 1e-4, String(s.ndcg));
  // Evidence only at rank 7 of 10: recall@5 = 0, recall@10 = 1, MRR = 1/7, nDCG = 1/log2(8) = 1/3.
  const t = scoreRanking(["1", "2", "3", "4", "5", "6", "e", "8", "9", "10", "e2"], ["e"]);
  assert.deepEqual({ r5: t.r5, r10: t.r10 }, { r5: 0, r10: 1 });
  assert.ok(Math.abs(t.rr - 1 / 7) < 1e-9 && Math.abs(t.ndcg - 1 / 3) < 1e-9);
  // Beyond the top 10 counts for nothing.
  assert.equal(
    scoreRanking(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "e"], ["e"]).r10,
    0,
  );
  const avg = average([s, t]);
  assert.equal(avg.n, 2);
  assert.equal(avg.recall_at_5, 0.5);
  assert.equal(avg.mrr, Math.round(((1 + 1 / 7) / 2) * 1000) / 1000);
  // 2 answerable × 2 adversarial pairs: 0.9 beats both, 0.5 ties one and loses one → 2.5 / 4.
  assert.equal(separationAuc([0.9, 0.5], [0.5, 0.7]), 0.625);
});

Deno.test("conv eval: the committed fixture is exactly what the seeded generator writes", async () => {
  const generated = generateCorpus(DEFAULT_SEED);
  const dir = new URL("../fixtures/recall-eval-conv/", import.meta.url);
  const turns = await Deno.readTextFile(new URL("turns.jsonl", dir));
  const questions = await Deno.readTextFile(new URL("questions.jsonl", dir));
  assert.equal(turns, generated.turns.map(importLine).join("\n") + "\n");
  assert.equal(questions, generated.questions.map((q) => JSON.stringify(q)).join("\n") + "\n");
});

Deno.test("conv eval: corpus has the promised shape (conversations, sessions, speakers, kinds)", async () => {
  const { turns, questions } = await loadCorpus();
  const convs = [...new Set(turns.map((t) => t.conv))];
  assert.ok(convs.length >= 10, `${convs.length} conversations`);
  const byId = new Map(turns.map((t) => [t.id, t]));
  for (const c of convs) {
    const mine = turns.filter((t) => t.conv === c);
    const sessions = new Set(mine.map((t) => t.session));
    assert.ok(sessions.size >= 20, `${c}: ${sessions.size} sessions`);
    assert.ok(new Set(mine.map((t) => t.speaker)).size >= 3, `${c}: fewer than 3 speakers`);
    const days = (Date.parse(mine.at(-1)!.date) - Date.parse(mine[0].date)) / 86_400_000;
    assert.ok(days >= 90, `${c}: spans ${days} days`);
    // created_at is the session's date: one per session, rising with the session number.
    const dates = [...sessions].map((
      s,
    ) => [...new Set(mine.filter((t) => t.session === s).map((t) => t.date))]);
    assert.ok(dates.every((d) => d.length === 1), `${c}: a session with several dates`);
    assert.deepEqual(dates.map((d) => d[0]), dates.map((d) => d[0]).toSorted());
    // No two turns alike: import must not merge turns of an episode.
    assert.equal(new Set(mine.map((t) => t.text)).size, mine.length, `${c}: repeated turn text`);
  }
  for (const split of ["tuning", "heldout"]) {
    const qs = questions.filter((q) => splitOf(q.conv) === split);
    for (const kind of KINDS) {
      assert.ok(qs.filter((q) => q.kind === kind).length >= 10, `${split}: too few ${kind}`);
    }
  }
  for (const q of questions) {
    const ev = q.evidence.map((id) => byId.get(id));
    assert.ok(
      ev.every((t) => t && t.conv === q.conv),
      `${q.id}: evidence outside its conversation`,
    );
    if (q.kind === "adversarial") assert.equal(ev.length, 0, q.id);
    else assert.ok(ev.length >= 1, q.id);
    if (q.kind === "multi_hop") {
      assert.ok(new Set(ev.map((t) => t!.session)).size >= 2, `${q.id}: one session only`);
    }
  }
});

Deno.test("conv eval: the protocol — CLI import, library recall ranks as CLI recall, content byte-identical", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-conv-test-" });
  try {
    const { turns, questions } = await loadCorpus();
    const mine = turns.filter((t) => t.conv === "c02").slice(0, 120);
    const file = `${home}/turns.jsonl`;
    await Deno.writeTextFile(file, mine.map(importLine).join("\n") + "\n");
    const imported = okJson(await cli(home, "import", "--file", file, "--json"));
    assert.equal(imported.created, mine.length);
    const ns = namespaceOf("c02");
    const asked = questions.filter((q) =>
      q.conv === "c02" && q.evidence.length && q.evidence.every((e) => mine.some((t) => t.id === e))
    ).slice(0, 2);
    assert.ok(asked.length === 2, "questions answerable from the first 120 turns");
    const { runtimeOn, libRanker } = await import("../../scripts/conv_eval/run.ts");
    const rt = await runtimeOn(home, "real");
    try {
      for (const q of asked) {
        const viaCli = okJson(
          await cli(home, "recall", "--namespace", ns, "--limit", "10", "--json", q.question),
        );
        const lib = await libRanker(rt, "hybrid")(q);
        assert.deepEqual(viaCli.memories.map((m: { id: string }) => m.id), lib.ids, q.id);
        // What recall returns is the turn as written, nothing of its neighbours.
        const texts = new Set(mine.map((t) => t.text));
        for (const m of viaCli.memories) assert.ok(texts.has(m.content), m.content);
      }
    } finally {
      rt.close();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
