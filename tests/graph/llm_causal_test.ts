/**
 * Causal edges from a chat model (`[llm] enabled = true`), against a fake OpenAI-compatible
 * server: a valid answer adds an edge, an invalid or slow answer or an unknown index is retried
 * once and then only the rule edges stand, and without a model nothing is asked.
 */
import assert from "node:assert/strict";
import { enqueueRemember } from "../../lib/memory/remember.ts";
import { drain } from "../../lib/memory/drain.ts";
import { storeMemory } from "../../lib/memory/write_input.ts";
import { memoryGraph, rebuildMemoryGraph, type Runtime } from "../../lib/memory/mod.ts";
import { llmCausalPass } from "../../lib/memory/graph.ts";
import { LlmError } from "../../lib/llm/mod.ts";
import { parseCausalAnswer } from "../../lib/graph/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { assertUserError, cli, okJson } from "../cli/_helpers.ts";
import { fakeLlm, linkTo, say, type Script, settings } from "./_fake_llm.ts";

const CAUSE = "The office espresso machine in Denver broke down on Monday morning.";
const FACT = "On Monday morning the whole Denver team queued at the café across the street.";
const ETCD =
  "Quartermaster, the internal feature-flag service, went read-only after its etcd cluster lost quorum.";
const CANARY =
  "The billing-api canary was rolled back because Quartermaster went read-only and flags could not be flipped.";

/** Store `stored`, queue `fact`, drain once with the fake model; the drained memory's id. */
async function drainWith(
  script: Script,
  stored: string,
  fact: string,
  timeoutMs = 3000,
) {
  const t = await tempRuntime();
  const llm = fakeLlm(script);
  const old = await storeMemory(t.rt, { content: stored, namespace: "c" });
  enqueueRemember(t.rt.store, t.rt.config, { content: fact, namespace: "c" });
  const s = await drain(t.rt, { worker: "test", llm: settings(llm.base, timeoutMs) });
  assert.equal(s.processed, 1, JSON.stringify(s.failed));
  const id = (t.rt.store.db.prepare("SELECT memory_id FROM remember_decisions").get() as {
    memory_id: string;
  }).memory_id;
  return {
    t,
    llm,
    old: old.id,
    id,
    async [Symbol.asyncDispose]() {
      await llm[Symbol.asyncDispose]();
      await t[Symbol.asyncDispose]();
    },
  };
}

const causalEdges = (rt: Runtime, id: string) =>
  memoryGraph(rt, id, { kinds: ["causal"] }).edges.map((e) => ({
    from: e.from,
    to: e.to,
    weight: e.weight,
    origin: e.origin,
    detail: e.detail,
  }));

Deno.test("llm causal: a valid answer adds a causal edge with source llm", async () => {
  await using r = await drainWith([linkTo("espresso")], CAUSE, FACT);
  assert.equal(r.llm.causal.length, 1);
  const user = r.llm.causal[0].user;
  assert.match(user, /\[0\] The office espresso machine/);
  assert.match(user, /MEMORY:\nOn Monday morning/);
  assert.doesNotMatch(user, new RegExp(r.old), "real ids are never shown to the model");
  assert.deepEqual(causalEdges(r.t.rt, r.id), [{
    from: r.old,
    to: r.id,
    weight: 0.9,
    origin: "auto",
    detail: { source: "llm", confidence: 0.9 },
  }]);
});

Deno.test("llm causal: an effect points from the new memory to the neighbour", async () => {
  await using r = await drainWith([linkTo("queued", "effect", 0.75)], FACT, CAUSE);
  const [e] = causalEdges(r.t.rt, r.id);
  assert.equal(e.from, r.id);
  assert.equal(e.to, r.old);
  assert.equal(e.weight, 0.75);
});

Deno.test("llm causal: invalid JSON is retried once and a valid retry wins", async () => {
  await using r = await drainWith(
    [say("Sure, the first one caused it."), linkTo("espresso")],
    CAUSE,
    FACT,
  );
  assert.equal(r.llm.causal.length, 2);
  assert.equal(causalEdges(r.t.rt, r.id)[0]?.detail.source, "llm");
});

Deno.test("llm causal: invalid JSON twice falls back to the rule edges only", async () => {
  await using r = await drainWith([say("not json"), say('{"links": "none"}')], ETCD, CANARY);
  assert.equal(r.llm.causal.length, 2);
  const edges = causalEdges(r.t.rt, r.id);
  assert.equal(edges.length, 1, "the rule edge from 'because Quartermaster went read-only'");
  assert.equal(edges[0].from, r.old);
  assert.equal(edges[0].detail.cue, "because");
  assert.equal(edges[0].detail.source, undefined);
});

Deno.test("llm causal: an unknown index is never linked; retried once, then rules only", async () => {
  const unknown = say(JSON.stringify({ links: [{ index: 7, direction: "cause", confidence: 1 }] }));
  {
    await using r = await drainWith([unknown], CAUSE, FACT);
    assert.equal(r.llm.causal.length, 2);
    assert.deepEqual(causalEdges(r.t.rt, r.id), []);
  }
  {
    await using r = await drainWith([unknown, linkTo("espresso")], CAUSE, FACT);
    assert.equal(r.llm.causal.length, 2);
    assert.equal(causalEdges(r.t.rt, r.id).length, 1);
  }
});

Deno.test("llm causal: a slow answer times out twice; the fact is still stored, rules only", async () => {
  await using r = await drainWith(
    [() => ({ ...linkTo("Quartermaster")([ETCD]), delayMs: 600 })],
    ETCD,
    CANARY,
    150,
  );
  assert.equal(r.llm.causal.length, 2);
  const edges = causalEdges(r.t.rt, r.id);
  assert.equal(edges.length, 1);
  assert.equal(edges[0].detail.cue, "because");
  assert.ok(r.t.rt.store.getById(r.id), "the fact was written");
});

Deno.test("llm causal: a pair the rules already linked keeps its rule edge", async () => {
  await using r = await drainWith([linkTo("Quartermaster", "effect")], ETCD, CANARY);
  assert.equal(r.llm.causal.length, 1);
  const edges = causalEdges(r.t.rt, r.id);
  assert.equal(edges.length, 1);
  assert.equal(edges[0].from, r.old, "cause → effect as the rules found it");
  assert.equal(edges[0].detail.cue, "because");
});

Deno.test("llm causal: answers are validated and indices mapped back", () => {
  const c = [{ id: "a", content: "x" }, { id: "b", content: "y" }];
  assert.deepEqual(
    parseCausalAnswer(
      '```json\n{"links":[{"index":"[1]","direction":"Effect","confidence":0.8},' +
        '{"index":0,"direction":"cause","confidence":0.2}]}\n```',
      c,
    ),
    [{ id: "b", direction: "effect", confidence: 0.8 }],
    "fenced JSON, an index as text, a low-confidence link dropped",
  );
  assert.deepEqual(parseCausalAnswer('{"links":[]}', c), []);
  for (
    const bad of [
      "no",
      '{"links":[{"index":2,"direction":"cause","confidence":0.9}]}',
      '{"links":[{"index":0,"direction":"sideways","confidence":0.9}]}',
      '{"links":[{"index":0,"direction":"cause","confidence":1.5}]}',
      '{"edges":[]}',
    ]
  ) assert.throws(() => parseCausalAnswer(bad, c), LlmError, bad);
});

Deno.test("llm causal: with [llm] off the drain asks nothing; on, the config drives it", async () => {
  const llm = fakeLlm([linkTo("espresso")]);
  try {
    for (const enabled of [false, true]) {
      await using t = await tempRuntime(
        `[llm]\nenabled = ${enabled}\nbase_url = "${llm.base}"\nmodel = "m"\ntimeout_ms = 3000\n`,
      );
      await storeMemory(t.rt, { content: CAUSE, namespace: "c" });
      enqueueRemember(t.rt.store, t.rt.config, { content: FACT, namespace: "c" });
      const s = await drain(t.rt, { worker: "test" });
      assert.equal(s.processed, 1);
      const id = (t.rt.store.db.prepare("SELECT memory_id FROM remember_decisions").get() as {
        memory_id: string;
      }).memory_id;
      assert.equal(causalEdges(t.rt, id).length, enabled ? 1 : 0);
      assert.equal(llm.causal.length, enabled ? 1 : 0);
      assert.equal(llm.reconcile, enabled ? 1 : 0);
    }
  } finally {
    await llm[Symbol.asyncDispose]();
  }
});

Deno.test("llm causal: graph rebuild --llm asks per memory after the rule rebuild", async () => {
  await using t = await tempRuntime();
  await using llm = fakeLlm([
    (n) =>
      n.some((x) => x.includes("espresso")) ? linkTo("espresso")(n) : { content: '{"links":[]}' },
  ]);
  const a = await storeMemory(t.rt, { content: CAUSE, namespace: "c" });
  const b = await storeMemory(t.rt, { content: FACT, namespace: "c" });
  await storeMemory(t.rt, { content: "Tea is the user's afternoon drink.", namespace: "other" });
  rebuildMemoryGraph(t.rt, { namespace: "c" });
  const report = await llmCausalPass(t.rt, { namespace: "c", llm: settings(llm.base) });
  assert.equal(report.asked, 2, "each memory of c has the other as a neighbour");
  assert.equal(report.llm, 2);
  assert.equal(report.edges, 1, "the second answer names a pair already linked");
  assert.deepEqual(causalEdges(t.rt, b.id).map((e) => [e.from, e.to]), [[a.id, b.id]]);
  // A plain rebuild recomputes automatic edges by the rules only.
  rebuildMemoryGraph(t.rt, { namespace: "c" });
  assert.deepEqual(causalEdges(t.rt, b.id), []);
});

Deno.test("cli graph rebuild --llm: needs [llm]; with it, reports what the model added", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-graph-llm-" });
  await using llm = fakeLlm([
    (n) =>
      n.some((x) => x.includes("espresso")) ? linkTo("espresso")(n) : { content: '{"links":[]}' },
  ]);
  try {
    assert.equal((await cli(home, "store", "-n", "c", CAUSE)).code, 0);
    assert.equal((await cli(home, "store", "-n", "c", FACT)).code, 0);
    assertUserError(await cli(home, "graph", "rebuild", "--llm"), 3);
    assertUserError(await cli(home, "graph", "rebuild", "--llm", "--dry-run"), 3);
    assert.equal(llm.causal.length, 0);
    await Deno.writeTextFile(
      `${home}/memoryoss.toml`,
      `[llm]\nenabled = true\nbase_url = "${llm.base}"\nmodel = "m"\ntimeout_ms = 3000\n`,
    );
    const res = okJson(await cli(home, "graph", "rebuild", "--llm", "--json"));
    assert.equal(res.namespaces[0].namespace, "c");
    assert.deepEqual(res.llm, { asked: 2, llm: 2, fallback: 0, edges: 1 });
    const text = await cli(home, "graph", "rebuild", "--llm");
    assert.match(
      text.stdout,
      /llm: asked about 2 memories \(0 fell back to the rules\); wrote 1 causal edges/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
