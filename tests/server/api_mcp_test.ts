import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { withServer } from "./_api_support.ts";

async function connect(url: string, key?: string): Promise<Client> {
  const client = new Client({ name: "memoryoss-serve-mcp-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: key ? { headers: { Authorization: `Bearer ${key}` } } : undefined,
    }),
  );
  return client;
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0].text;

Deno.test("serve /mcp: authenticated MCP over HTTP, namespaces and roles enforced per tool", async () => {
  await withServer(async (s) => {
    const writer = await s.key("writer", ["team-a"]);
    const reader = await s.key("reader", ["team-a"]);
    const w = await connect(s.url, writer);
    try {
      assert.equal((await w.listTools()).tools.length, 8);
      const stored = await w.callTool({
        name: "memoryoss_store",
        arguments: { content: "MCP over serve works." },
      });
      assert.ok(!stored.isError, text(stored));
      const recalled = await w.callTool({
        name: "memoryoss_recall",
        arguments: { query: "serve" },
      });
      assert.match(text(recalled), /MCP over serve works/);
      const other = await w.callTool({
        name: "memoryoss_list",
        arguments: { namespace: "team-b" },
      });
      assert.ok(other.isError);
      assert.match(text(other), /FORBIDDEN_NAMESPACE/);
      // A role violation is a tool result the model can read, as over stdio: not a 403.
      const forgot = await w.callTool({ name: "memoryoss_forget", arguments: { all: true } });
      assert.equal(forgot.isError, true);
      assert.match(text(forgot), /^FORBIDDEN: memoryoss_forget needs the admin role/);
    } finally {
      await w.close();
    }
    const r = await connect(s.url, reader);
    try {
      const got = await r.callTool({ name: "memoryoss_recall", arguments: { query: "serve" } });
      assert.match(text(got), /MCP over serve works/);
      const passport = await r.callTool({ name: "memoryoss_passport_export", arguments: {} });
      assert.ok(!passport.isError, text(passport)); // a reader may export and read history
      const refused = await r.callTool({ name: "memoryoss_store", arguments: { content: "nope" } });
      assert.equal(refused.isError, true);
      assert.match(text(refused), /^FORBIDDEN: memoryoss_store needs the writer role/);
    } finally {
      await r.close();
    }
    await assert.rejects(() => connect(s.url), /401|Unauthorized|UNAUTHORIZED/);
    assert.equal(s.rt.store.count({ namespace: "team-a" }), 1, "the reader stored nothing");
  });
});
