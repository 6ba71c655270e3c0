/** `serve` warm start: /health reports the index loading, then ready; recall works throughout. */
import assert from "node:assert/strict";
import { cli, type Json, show, withHome } from "../cli/_helpers.ts";
import { spawnServe } from "./_api_support.ts";

const MEMORIES = 300;

Deno.test("serve: /health shows the index warming then ready with every vector; recall answers", async () => {
  await withHome(async (home) => {
    const lines = Array.from({ length: MEMORIES }, (_, i) =>
      JSON.stringify({
        content: `Service svc-${i} listens on port ${10_000 + i} of host node-${i}.internal`,
      }));
    lines[123] = JSON.stringify({ content: "The billing export writes to bucket zq-7731-quartz." });
    await Deno.writeTextFile(`${home}/seed.jsonl`, lines.join("\n") + "\n");
    const imp = await cli(home, "import", "--namespace", "warm", "--file", `${home}/seed.jsonl`);
    assert.equal(imp.code, 0, show(imp));

    const s = await spawnServe(home);
    try {
      assert.ok(s.printedKey, "serve printed the admin key on first start");
      // No timing: poll until the warm-up ends; /health answers 200 all along.
      let body: Json;
      for (let i = 0; i < 600; i++) {
        const res = await fetch(`${s.url}/health`);
        assert.equal(res.status, 200);
        body = await res.json();
        assert.equal(body.status, "ok");
        assert.ok(["warming", "ready"].includes(body.index.state), JSON.stringify(body));
        if (body.index.state === "ready") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(body.index.state, "ready", JSON.stringify(body));
      assert.equal(body.total_memories, MEMORIES);
      assert.equal(body.index.vectors, MEMORIES, "every memory's vector is loaded");
      assert.equal(typeof body.index.warm_ms, "number");

      const res = await fetch(`${s.url}/v1/recall`, {
        method: "POST",
        headers: { authorization: `Bearer ${s.printedKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          query: "which bucket does the billing export write to",
          namespace: "warm",
        }),
      });
      assert.equal(res.status, 200);
      const hits = (await res.json()).memories;
      assert.match(hits[0].memory.content, /zq-7731-quartz/);
    } finally {
      const st = await s.kill("SIGTERM");
      assert.equal(st.code, 0, await s.stderr());
    }
  });
});
