/**
 * memman's drain-time canonical rewrite, run as shipped (`remember`, then `drain --once
 * --json` through main.ts) against a fake OpenAI-compatible provider on 127.0.0.1: a note is
 * rewritten into canonical prose with the model's category and importance, a non-durable note
 * is skipped (done, nothing stored), and a provider error keeps the note as written. Without
 * a model the drain stores notes verbatim and reports no rewrite.
 */
import assert from "node:assert/strict";
import { cli, cliWith } from "../cli/_helpers.ts";
import { fakeProvider, type Seen } from "./_fakes.ts";

const NOTE = "DEPLOYS: currently we decided to deploy on fridays (see ci.yml:12)";
const STATUS = "deploy finished ok, 3 pods restarted";
const BROKEN = "Grafana dashboards live in the ops repo";

function answer(s: Seen) {
  const text = JSON.stringify(s.body);
  if (!/canonical form/.test(text)) return { text: '{"decision": "ADD", "reason": "new"}' };
  if (text.includes("pods restarted")) {
    return { text: '{"facts": [], "skip_reason": "deployment receipt"}' };
  }
  if (text.includes("Grafana")) return { status: 503 };
  return {
    text: JSON.stringify({
      facts: [{
        text: "Deploys happen on Fridays (ci.yml:12)",
        category: "decision",
        importance: 9,
        entities: ["ci.yml"],
      }],
      skip_reason: null,
    }),
  };
}

async function queued(home: string, env: Record<string, string>) {
  for (const note of [NOTE, STATUS, BROKEN]) {
    const r = await cliWith(home, { env }, "remember", "-n", "c", note);
    assert.equal(r.code, 0, r.stderr);
  }
}

Deno.test("drain with a model: canonical rewrite, skip of a receipt, error keeps the note", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-drain-canon-" });
  try {
    await using llm = fakeProvider("openai", answer);
    const env = { MEMMAN_LLM_ENDPOINT: `${llm.origin}/v1`, MEMMAN_LLM_API_KEY: "sk-canon" };
    await queued(home, env);
    const r = await cliWith(home, { env }, "drain", "--once", "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.deepEqual(out.canonical, { rewritten: 1, skipped: 1, kept: 1 });
    assert.equal(out.processed, 3);
    assert.equal(out.failed.length, 0);
    assert.equal(out.queue.pending ?? 0, 0, JSON.stringify(out.queue));

    const list = (await cli(home, "list", "-n", "c", "--json")).json();
    const byContent = new Map(
      list.memories.map((m: { content: string }) => [m.content, m]),
    );
    assert.deepEqual([...byContent.keys()].sort(), [
      "Deploys happen on Fridays.",
      BROKEN,
    ]);
    // deno-lint-ignore no-explicit-any
    const m = byContent.get("Deploys happen on Fridays.") as any;
    assert.equal(m.category, "decision");
    assert.equal(m.metadata.importance, 5, "importance clamped to 2–5");
    assert.deepEqual(m.metadata.entities, ["ci.yml"]);
    assert.equal(m.metadata.rewritten_by, "llm");

    const asked = llm.seen.filter((s) => /canonical form/.test(JSON.stringify(s.body)));
    assert.equal(asked.length, 3, "one rewrite request per note");
    assert.equal(asked[0].headers.get("authorization"), "Bearer sk-canon");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("drain without a model stores notes as written and reports no rewrite", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-drain-canon-" });
  try {
    await queued(home, {});
    const r = await cli(home, "drain", "--once", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().canonical, undefined);
    const list = (await cli(home, "list", "-n", "c", "--json")).json();
    assert.deepEqual(
      list.memories.map((m: { content: string }) => m.content).sort(),
      [BROKEN, NOTE, STATUS].sort(),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
