/**
 * Forget over every surface against one store: the CLI (main.ts in a child), HTTP, MCP over
 * stdio (main.ts in a child) and MCP over HTTP each leave the same activity line, read back
 * through `GET /v1/admin/recent`. Also: HTTP ids across a key's namespaces, unknown ids, dry
 * runs, and `GET /v1/memories` paging with `next_offset`.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApiKey } from "../../lib/auth/mod.ts";
import { assertError, type Json, type TestServer, withServer } from "./_api_support.ts";
import { cli, show } from "../cli/_helpers.ts";
import { connect as connectStdio, ok } from "../mcp/_client.ts";

const MISSING = "01900000-0000-7000-8000-00000000abcd";

async function storeIn(s: TestServer, namespace: string, content: string): Promise<string> {
  const r = await s.req("POST", "/v1/store", { key: s.admin, body: { namespace, content } });
  assert.equal(r.status, 200, r.text);
  return r.json.id;
}

async function mcpOverHttp(url: string, key: string): Promise<Client> {
  const client = new Client({ name: "memoryoss-forget-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

Deno.test("forget: CLI, HTTP, MCP stdio and MCP over HTTP each log the same activity line", async () => {
  await withServer(async (s) => {
    const admin = (await createApiKey(s.rt.store, { role: "admin", namespaces: "*" }))!;
    const viaCli = await storeIn(s, "act", "Forgotten from the command line.");
    const viaApi = await storeIn(s, "act", "Forgotten over HTTP.");
    const viaMcp = await storeIn(s, "act", "Forgotten over MCP stdio.");
    const viaMcpHttp = await storeIn(s, "act", "Forgotten over MCP on HTTP.");

    const c = await cli(s.home, "forget", "--ids", viaCli);
    assert.equal(c.code, 0, show(c));

    const h = await s.req("DELETE", "/v1/forget", { key: admin.key, body: { ids: [viaApi] } });
    assert.equal(h.status, 200, h.text);

    {
      await using m = await connectStdio(s.home);
      const r = await ok(m.client, "memoryoss_forget", { ids: [viaMcp] });
      assert.equal(r.deleted, 1);
    }

    const client = await mcpOverHttp(s.url, admin.key);
    try {
      const r = await ok(client, "memoryoss_forget", { ids: [viaMcpHttp] });
      assert.equal(r.deleted, 1);
    } finally {
      await client.close();
    }

    // Dry runs log nothing.
    const keep = await storeIn(s, "act", "Survives every dry run.");
    const dry = await s.req("POST", "/v1/forget", {
      key: admin.key,
      body: { ids: [keep], dry_run: true },
    });
    assert.equal(dry.status, 200, dry.text);

    const recent = await s.req("GET", "/v1/admin/recent?namespace=act&limit=10", {
      key: s.admin,
    });
    assert.equal(recent.status, 200, recent.text);
    const forgets = recent.json.events.filter((e: Json) => e.kind === "forget");
    for (const e of forgets) {
      assert.deepEqual(Object.keys(e).sort(), [
        "actor",
        "at",
        "detail",
        "kind",
        "memory_id",
        "namespace",
        "seq",
      ]);
      assert.ok(!Number.isNaN(Date.parse(e.at)), e.at);
    }
    const line = (actor: string, via: string, id: string) => ({
      namespace: "act",
      kind: "forget",
      memory_id: null,
      actor,
      detail: { via, deleted: 1, ids: [id] },
    });
    // Newest first.
    assert.deepEqual(
      forgets.map(({ seq: _s, at: _a, ...rest }: Json) => rest),
      [
        line(admin.info.key_id, "mcp", viaMcpHttp),
        line("local", "mcp", viaMcp),
        line(admin.info.key_id, "api", viaApi),
        line("cli", "cli", viaCli),
      ],
    );
    assert.equal(recent.json.counts.forget, 4);
  });
});

Deno.test("api forget: ids without a namespace are found in the key's namespaces only; unknown ids are named; dry runs list and keep", async () => {
  await withServer(async (s) => {
    const a = await storeIn(s, "a", "Namespace a keeps the deploy calendar.\nSecond line.");
    const b = await storeIn(s, "b", "Namespace b keeps the on-call rota.");
    const c = await storeIn(s, "c", "Namespace c is outside the key.");
    const key = await s.key("admin", ["a", "b"]);

    // An id outside the key's namespaces is as unknown as one that never existed.
    const none = await s.req("DELETE", "/v1/forget", { key, body: { ids: [c, MISSING] } });
    assertError(none, 404, "NOT_FOUND", new RegExp(`no memory with id ${c}, ${MISSING}`));

    const dry = await s.req("POST", "/v1/forget", {
      key,
      body: { ids: [a, b, c], dry_run: true },
    });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.equal(dry.json.deleted, undefined);
    assert.equal(dry.json.would_delete.count, 2);
    assert.deepEqual(
      [...dry.json.would_delete.memories].sort((x: Json, y: Json) =>
        x.namespace.localeCompare(y.namespace)
      ),
      [
        { id: a, namespace: "a", first_line: "Namespace a keeps the deploy calendar." },
        { id: b, namespace: "b", first_line: "Namespace b keeps the on-call rota." },
      ],
    );
    assert.deepEqual(dry.json.not_found, [c]);
    for (const id of [a, b, c]) assert.ok(s.rt.store.getById(id), "a dry run deletes nothing");

    const real = await s.req("DELETE", "/v1/forget", { key, body: { ids: [a, b, c] } });
    assert.equal(real.status, 200, real.text);
    assert.equal(real.json.namespace, null);
    assert.equal(real.json.deleted, 2);
    assert.deepEqual(real.json.not_found, [c]);
    assert.equal(s.rt.store.getById(a), null);
    assert.equal(s.rt.store.getById(b), null);
    assert.ok(s.rt.store.getById(c), "outside the key's namespaces: untouched");

    // Naming a namespace the key does not hold is refused, as before.
    assertError(
      await s.req("DELETE", "/v1/forget", { key, body: { namespace: "c", ids: [c] } }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
  });
});

Deno.test("api GET /v1/memories: next_offset pages through every memory exactly once, null on the last page", async () => {
  await withServer(async (s) => {
    const want: string[] = [];
    for (let i = 1; i <= 5; i++) want.push(await storeIn(s, "pg", `Paged memory number ${i}.`));
    const seen: string[] = [];
    const offsets: (number | null)[] = [];
    let offset: number | null = 0;
    while (offset !== null && offsets.length < 5) {
      const r = await s.req("GET", `/v1/memories?namespace=pg&limit=2&offset=${offset}`, {
        key: s.admin,
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.total, 5);
      seen.push(...r.json.memories.map((m: Json) => m.id));
      offset = r.json.next_offset;
      offsets.push(offset);
    }
    assert.deepEqual(offsets, [2, 4, null]);
    assert.equal(seen.length, 5);
    assert.deepEqual([...seen].sort(), [...want].sort());
    const whole = await s.req("GET", "/v1/memories?namespace=pg", { key: s.admin });
    assert.equal(whole.json.next_offset, null);
    assert.equal(whole.json.count, 5);
  });
});
