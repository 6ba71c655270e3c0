/**
 * The drain's reconciliation through each provider's real wire format (fake servers on
 * 127.0.0.1), run as shipped: `remember` then `drain --once --json` through main.ts. The model
 * answers UPDATE of memory [0], so the stored memory is superseded by the new wording.
 */
import assert from "node:assert/strict";
import { cli, cliWith } from "../cli/_helpers.ts";
import { fakeProvider, type Seen } from "./_fakes.ts";

const answer = (s: Seen) => {
  const text = JSON.stringify(s.body);
  if (/reconcile a NEW fact/.test(text)) {
    return {
      text: '{"decision": "UPDATE", "target_id": "0", "reason": "same subject, new wording"}',
    };
  }
  return { text: '{"links": []}' };
};

for (const wire of ["anthropic", "openrouter"] as const) {
  Deno.test(`drain reconciliation over ${wire} (${wire === "anthropic" ? "SSE" : "JSON"})`, async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-drain-llm-" });
    await using llm = fakeProvider(wire === "anthropic" ? "anthropic" : "openai", answer);
    const toml = wire === "anthropic"
      ? `[llm]\nenabled = true\nprovider = "anthropic"\nbase_url = "${llm.origin}/v1"\nstream = true\n`
      : "";
    if (toml) await Deno.writeTextFile(`${home}/memoryoss.toml`, toml);
    const env: Record<string, string> = wire === "anthropic"
      ? { ANTHROPIC_API_KEY: "sk-ant-drain" }
      : {
        MEMMAN_LLM_PROVIDER: "openrouter",
        MEMMAN_OPENROUTER_ENDPOINT: `${llm.origin}/api/v1`,
        OPENROUTER_API_KEY: "sk-or-drain",
      };
    assert.equal(
      (await cli(home, "store", "-n", "r", "The deploy key lives in the vault")).code,
      0,
    );
    const q = await cliWith(
      home,
      { env },
      "remember",
      "-n",
      "r",
      "The deploy key is kept in the vault",
    );
    assert.equal(q.code, 0, q.stderr);
    const r = await cliWith(home, { env }, "drain", "--once", "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.sources.llm, 1, JSON.stringify(out));
    assert.equal(out.actions.UPDATE, 1);
    const list = (await cli(home, "list", "-n", "r", "--json")).json();
    assert.deepEqual(
      list.memories.map((m: { content: string }) => m.content),
      ["The deploy key is kept in the vault"],
      "the old wording is archived",
    );
    const asked = llm.seen.find((s) => /reconcile a NEW fact/.test(JSON.stringify(s.body)))!;
    if (wire === "anthropic") {
      assert.equal(asked.path, "/v1/messages");
      assert.equal(asked.headers.get("x-api-key"), "sk-ant-drain");
      assert.match(String(asked.body.system), /reconcile a NEW fact/);
    } else {
      assert.equal(asked.path, "/api/v1/chat/completions");
      assert.equal(asked.headers.get("authorization"), "Bearer sk-or-drain");
    }
    await Deno.remove(home, { recursive: true });
  });
}
