/**
 * `memoryoss mcp-server` end to end: the SDK's own client spawns the server over stdio on a
 * temp MEMORYOSS_HOME (one process for all steps, to keep the suite fast).
 */
import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../lib/config/mod.ts";
import { importText, openRuntime } from "../../lib/memory/mod.ts";
import { DEFAULT_RESULT_CHARS } from "../../lib/mcp/mod.ts";
import { call, connect, fails, ok } from "./_client.ts";

/** 60 distinct ~1.5 KB memories in namespace "bulk" (random hex: nothing to dedup). */
async function seedBulk(home: string): Promise<void> {
  const hex = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16)).join("");
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({
      content: `bulk record ${i}: ` + Array.from({ length: 110 }, hex).join(" "),
      namespace: "bulk",
    }));
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  try {
    const r = await importText(rt, lines.join("\n"));
    assert.equal(r.created, 60);
  } finally {
    rt.close();
  }
}

Deno.test("mcp-server over stdio: tools, calls, errors, scoped forget, paging", async (t) => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-mcp-" });
  try {
    await seedBulk(home);
    await using s = await connect(home);
    const c = s.client;

    await t.step("lists eight tools with titles and annotations on the wire", async () => {
      const { tools } = await c.listTools();
      const by: Record<string, Tool> = Object.fromEntries(tools.map((x: Tool) => [x.name, x]));
      assert.deepEqual(Object.keys(by).sort(), [
        "memoryoss_feedback",
        "memoryoss_forget",
        "memoryoss_history",
        "memoryoss_list",
        "memoryoss_passport_export",
        "memoryoss_recall",
        "memoryoss_store",
        "memoryoss_update",
      ]);
      assert.equal(by.memoryoss_recall.title, "Recall Relevant Memories");
      assert.equal(by.memoryoss_store.title, "Store New Memory");
      assert.equal(by.memoryoss_update.title, "Update Existing Memory");
      assert.equal(by.memoryoss_forget.title, "Delete Stored Memory");
      for (
        const name of [
          "memoryoss_recall",
          "memoryoss_list",
          "memoryoss_passport_export",
          "memoryoss_history",
        ]
      ) {
        assert.equal(by[name].annotations?.readOnlyHint, true, name);
      }
      for (const name of ["memoryoss_update", "memoryoss_forget"]) {
        assert.equal(by[name].annotations?.destructiveHint, true, name);
        assert.equal(by[name].annotations?.readOnlyHint, false, name);
      }
      assert.equal(by.memoryoss_store.annotations?.destructiveHint, false);
      assert.deepEqual(by.memoryoss_recall.inputSchema.required, ["query"]);
      assert.deepEqual(by.memoryoss_store.inputSchema.required, ["content"]);
      assert.equal(
        (by.memoryoss_forget.inputSchema as { additionalProperties?: boolean })
          .additionalProperties,
        false,
      );
      assert.match(c.getInstructions() ?? "", /memoryoss_recall/);
    });

    let first = "";
    await t.step("store, recall, update, feedback, list, forget", async () => {
      const a = await ok(c, "memoryoss_store", {
        content: "Deploy only after staging signoff.",
        tags: ["deploy"],
        category: "decision",
      });
      assert.equal(a.stored, true);
      assert.equal(a.namespace, "default");
      first = a.id;
      const r = await ok(c, "memoryoss_recall", { query: "when can we deploy?" });
      assert.equal(r.memories[0].id, first);
      assert.deepEqual(r.memories[0].tags, ["deploy"]);

      const u = await ok(c, "memoryoss_update", {
        id: first,
        content: "Deploy only after staging signoff and a green canary.",
      });
      assert.deepEqual([u.updated, u.version], [true, 2]);
      const r2 = await ok(c, "memoryoss_recall", { query: "canary deploy", limit: 1 });
      assert.match(r2.memories[0].content, /green canary/);

      const b = await ok(c, "memoryoss_store", { content: "Deploys need two approvals now." });
      assert.equal(
        (await ok(c, "memoryoss_feedback", { id: b.id, action: "confirm" })).status,
        "active",
      );
      const sup = await ok(c, "memoryoss_feedback", {
        id: first,
        action: "supersede",
        superseded_by: b.id,
      });
      assert.deepEqual([sup.status, sup.superseded_by], ["stale", b.id]);

      const page = await ok(c, "memoryoss_list", {});
      assert.equal(page.total, 2);
      assert.equal(page.next_offset, null);
      const active = await ok(c, "memoryoss_list", { status: ["active"] });
      assert.deepEqual(active.memories.map((m: { id: string }) => m.id), [b.id]);

      const f = await ok(c, "memoryoss_forget", { ids: [b.id] });
      assert.deepEqual([f.deleted, f.ids], [1, [b.id]]);
      assert.equal((await ok(c, "memoryoss_list", {})).total, 1);
    });

    await t.step("bad arguments come back as clear tool errors", async () => {
      assert.match(await fails(c, "memoryoss_recall", {}), /query/);
      assert.match(await fails(c, "memoryoss_recall", { query: 5 }), /expected string.*query/);
      assert.match(
        await fails(c, "memoryoss_store", { content: "x", colour: "red" }),
        /colour/,
      );
      assert.match(
        await fails(c, "memoryoss_store", { content: "  " }),
        /content must not be empty/,
      );
      assert.match(
        await fails(c, "memoryoss_recall", { query: "x", namespace: "a b" }),
        /namespace may contain only/,
      );
      assert.match(
        await fails(c, "memoryoss_update", { id: "no-such-id", content: "x" }),
        /^NOT_FOUND: no memory with id no-such-id/,
      );
      assert.match(
        await fails(c, "memoryoss_update", { id: first }),
        /^INVALID_INPUT: nothing to update/,
      );
      assert.match(
        await fails(c, "memoryoss_feedback", { id: first, action: "supersede" }),
        /^INVALID_INPUT: superseded_by: required/,
      );
      assert.match(await fails(c, "memoryoss_feedback", { id: first, action: "like" }), /action/);
      assert.match(await fails(c, "memoryoss_list", { limit: 1000 }), /limit/);
      assert.match(await fails(c, "memoryoss_nope", {}), /not found/);
      // Still serving after all of that.
      assert.equal((await ok(c, "memoryoss_list", {})).total, 1);
    });

    await t.step("forget needs ids or an explicit all: true", async () => {
      for (const args of [{}, { ids: [] }, { all: false }, { namespace: "default" }]) {
        assert.match(
          await fails(c, "memoryoss_forget", args),
          /^INVALID_INPUT: refusing an unscoped forget/,
          JSON.stringify(args),
        );
      }
      assert.match(
        await fails(c, "memoryoss_forget", { ids: [first], all: true }),
        /either ids or all/,
      );
      assert.equal((await ok(c, "memoryoss_list", {})).total, 1);
      await ok(c, "memoryoss_store", { content: "scratch note one", namespace: "scratch" });
      await ok(c, "memoryoss_store", { content: "another scratch entry", namespace: "scratch" });
      const dry = await ok(c, "memoryoss_forget", {
        namespace: "scratch",
        all: true,
        dry_run: true,
      });
      assert.deepEqual([dry.dry_run, dry.would_delete.count, dry.deleted], [true, 2, undefined]);
      const all = await ok(c, "memoryoss_forget", { namespace: "scratch", all: true });
      assert.equal(all.deleted, 2);
      assert.equal((await ok(c, "memoryoss_list", {})).total, 1, "other namespaces untouched");
    });

    await t.step("large results are paged within the size budget", async () => {
      const seen = new Set<string>();
      let offset: number | null = 0;
      let pages = 0;
      while (offset !== null) {
        const r = await call(c, "memoryoss_list", { namespace: "bulk", limit: 100, offset });
        assert.ok(!r.isError, r.text);
        assert.ok(r.text.length <= DEFAULT_RESULT_CHARS + 2000, `page of ${r.text.length} chars`);
        const page = JSON.parse(r.text);
        assert.equal(page.total, 60);
        assert.ok(page.count > 0 && page.count < 60, `count ${page.count}`);
        for (const m of page.memories) {
          assert.ok(!seen.has(m.id), "no memory twice");
          seen.add(m.id);
        }
        offset = page.next_offset;
        pages++;
      }
      assert.equal(seen.size, 60);
      assert.ok(pages >= 2);
      const r = await call(c, "memoryoss_recall", {
        query: "bulk record",
        namespace: "bulk",
        limit: 100,
      });
      assert.ok(r.text.length <= DEFAULT_RESULT_CHARS + 2000);
      const rec = JSON.parse(r.text);
      assert.ok(rec.omitted > 0 && rec.count + rec.omitted <= 60, r.text.slice(0, 200));
      assert.match(rec.note, /size budget/);
    });

    await t.step("nothing but protocol on stdout, no crash on stderr", () => {
      assert.doesNotMatch(s.stderr(), /internal error|Uncaught|panicked/i);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("mcp-server --namespace sets the default namespace", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-mcp-" });
  try {
    await using s = await connect(home, "--namespace", "team");
    const r = await ok(s.client, "memoryoss_store", { content: "Team standup is at 9:30." });
    assert.equal(r.namespace, "team");
    assert.equal((await ok(s.client, "memoryoss_list", {})).namespace, "team");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
