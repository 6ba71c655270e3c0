/**
 * memman's `remember --no-reconcile`, run as shipped (`store`, `remember`, `drain --once
 * --json`, `list` through main.ts) with a model configured as memman's variables name it (a
 * fake OpenAI-compatible provider on 127.0.0.1): the flagged note is stored exactly as typed
 * — the model is never asked to rewrite it or to reconcile it, and the similar memory stays —
 * while an unflagged note beside it is rewritten and reconciled (here: it supersedes the
 * similar memory, as the model answers UPDATE).
 */
import assert from "node:assert/strict";
import { cli, cliWith, type Json } from "../cli/_helpers.ts";
import { fakeProvider, type Seen } from "./_fakes.ts";

const OLD = "Deploys happen on Fridays after the staging signoff.";
const VERBATIM = "DEPLOYS: currently we deploy on Fridays after the staging signoff (ci.yml:12)";
const PLAIN = "deploys: as of today we deploy on Thursdays after the staging signoff";
const REWRITTEN = "Deploys happen on Thursdays after the staging signoff.";

const canonical = (s: Seen) => /canonical form/.test(JSON.stringify(s.body));
const reconcile = (s: Seen) => /You reconcile a NEW fact/.test(JSON.stringify(s.body));

function answer(s: Seen) {
  if (canonical(s)) {
    return {
      text: JSON.stringify({
        facts: [{ text: REWRITTEN, category: "decision", importance: 4, entities: [] }],
        skip_reason: null,
      }),
    };
  }
  if (reconcile(s)) return { text: '{"decision": "UPDATE", "target_id": 0, "reason": "moved"}' };
  return { text: '{"links": []}' };
}

Deno.test("remember --no-reconcile: stored as typed; the model neither rewrites nor reconciles it", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-no-reconcile-" });
  try {
    await using llm = fakeProvider("openai", answer);
    const env = { MEMMAN_LLM_ENDPOINT: `${llm.origin}/v1`, MEMMAN_LLM_API_KEY: "sk-nr" };
    const st = await cli(home, "store", "-n", "c", OLD);
    assert.equal(st.code, 0, st.stderr);
    const flagged = await cliWith(home, { env }, "remember", "-n", "c", "--no-reconcile", VERBATIM);
    assert.equal(flagged.code, 0, flagged.stderr);
    const drained1 = await cliWith(home, { env }, "drain", "--once", "--json");
    assert.equal(drained1.code, 0, drained1.stderr);
    const d1 = drained1.json();
    assert.equal(d1.processed, 1);
    assert.equal(d1.actions.ADD, 1, JSON.stringify(d1));
    assert.deepEqual(d1.canonical, { rewritten: 0, skipped: 0, kept: 0 });
    const mentions = (s: Seen) => JSON.stringify(s.body).includes("ci.yml:12");
    assert.equal(llm.seen.filter((s) => canonical(s) || reconcile(s)).length, 0);
    assert.equal(llm.seen.filter(mentions).filter((s) => canonical(s) || reconcile(s)).length, 0);
    const after1 = (await cli(home, "list", "-n", "c", "--json")).json();
    assert.deepEqual(after1.memories.map((m: Json) => m.content).sort(), [VERBATIM, OLD].sort());

    const plain = await cliWith(home, { env }, "remember", "-n", "c", PLAIN);
    assert.equal(plain.code, 0, plain.stderr);
    const drained2 = await cliWith(home, { env }, "drain", "--once", "--json");
    assert.equal(drained2.code, 0, drained2.stderr);
    const d2 = drained2.json();
    assert.deepEqual(d2.canonical, { rewritten: 1, skipped: 0, kept: 0 });
    assert.equal(llm.seen.filter(canonical).length, 1, "the unflagged note was rewritten");
    assert.equal(llm.seen.filter(reconcile).length, 1, "and reconciled");

    const list = await cli(home, "list", "-n", "c", "--json");
    assert.equal(list.code, 0, list.stderr);
    const contents = list.json().memories.map((m: Json) => m.content).sort();
    assert.ok(contents.includes(VERBATIM), `verbatim text kept: ${JSON.stringify(contents)}`);
    assert.ok(contents.includes(REWRITTEN), JSON.stringify(contents));
    assert.ok(!contents.includes(PLAIN), "the unflagged note went through the rewrite");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("remember --no-reconcile --help shows the flag and an example", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-no-reconcile-" });
  try {
    const r = await cli(home, "remember", "--help");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--no-reconcile/);
    assert.match(r.stdout, /memoryoss remember --no-reconcile /);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
