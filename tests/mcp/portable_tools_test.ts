/**
 * memoryoss_passport_export and memoryoss_history through the SDK client over stdio: the
 * passport is the CLI's byte for byte (per-export values aside), the history is the
 * `history show` view, and other namespaces stay out of reach.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { verify } from "../../lib/portable/mod.ts";
import { IDS, richRecords, run, seed, show, withHomeRuntime } from "../portable/_support.ts";
import { call, connect, fails, ok } from "./_client.ts";

const mask = (text: string) =>
  text.replace(/"passport_id": "[^"]+"/, "").replace(/"exported_at": "[^"]+"/, "")
    .replace(/"payload_sha256": "[0-9a-f]+"/, "");

Deno.test("mcp-server: passport export and history tools", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-mcp-port-" });
  try {
    await withHomeRuntime(home, async (rt) => seed(rt, await richRecords("proj")));
    await using s = await connect(home);
    const c = s.client;

    const r = await call(c, "memoryoss_passport_export", { namespace: "proj", scope: "all" });
    assert.ok(!r.isError, r.text);
    assert.ok(verify(r.text).ok, "the passport verifies as received");
    assert.match(r.text, /"confidence": 1\.0,/);
    const file = join(home, "cli.passport.json");
    const cli = await run(home, ["passport", "export", "-n", "proj", "--scope", "all", "-o", file]);
    assert.equal(cli.code, 0, show(cli));
    assert.equal(mask(r.text), mask(await Deno.readTextFile(file)));
    assert.match(
      await fails(c, "memoryoss_passport_export", { scope: "galaxy" }),
      /scope/,
    );

    const h = await ok(c, "memoryoss_history", { id: IDS.c });
    assert.equal(h.namespace, "proj");
    assert.deepEqual(h.edges, [{ from: IDS.b, to: IDS.c, kind: "superseded_by" }]);
    const cliView = await run(home, ["history", "show", IDS.c, "--json"]);
    assert.deepEqual(h, cliView.json());
    assert.match(await fails(c, "memoryoss_history", { id: "nope" }), /^NOT_FOUND/);
    assert.match(
      await fails(c, "memoryoss_history", { id: IDS.c, namespace: "other" }),
      /^NOT_FOUND/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("mcp-server: a namespace-bound caller cannot export or read another namespace", async () => {
  const { createContext, TOOLS } = await import("../../lib/mcp/mod.ts");
  const home = await Deno.makeTempDir({ prefix: "memoryoss-mcp-port-" });
  try {
    await withHomeRuntime(home, async (rt) => {
      await seed(rt, await richRecords("proj"));
      const ctx = createContext(rt, { scope: ["team"] });
      const tool = (name: string) => TOOLS.find((t) => t.name === name)!;
      await assert.rejects(
        async () => await tool("memoryoss_passport_export").run(ctx, { namespace: "proj" }),
        /not available to this caller/,
      );
      await assert.rejects(
        async () => await tool("memoryoss_history").run(ctx, { id: IDS.c }),
        /no memory with id/,
      );
      const small = createContext(rt, { maxResultChars: 500 });
      await assert.rejects(
        async () => await tool("memoryoss_passport_export").run(small, { namespace: "proj" }),
        /over this server's result budget/,
      );
      const cut = await tool("memoryoss_history").run(small, { id: IDS.c }) as {
        note?: string;
      };
      assert.match(cut.note ?? "", /size budget/);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
