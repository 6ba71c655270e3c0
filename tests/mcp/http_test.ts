/**
 * The same tools over streamable HTTP (what `serve` will mount at /mcp): a stateless handler
 * behind Deno.serve, driven by the SDK's HTTP client transport, with a namespace-bound caller.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createContext, handleMcpRequest } from "../../lib/mcp/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { fails, ok } from "./_client.ts";

Deno.test("handleMcpRequest serves the tools statelessly and keeps a caller in its scope", async () => {
  await using t = await tempRuntime();
  const ctx = createContext(t.rt, { scope: ["team-a"], actor: "key:test" });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handleMcpRequest(ctx, req),
  );
  const client = new Client({ name: "memoryoss-http-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.addr.port}/mcp`)),
  );
  try {
    assert.equal((await client.listTools()).tools.length, 8);
    const s = await ok(client, "memoryoss_store", { content: "HTTP transport works." });
    assert.equal(s.namespace, "team-a", "default namespace is the caller's first");
    const r = await ok(client, "memoryoss_recall", { query: "transport" });
    assert.equal(r.memories[0].id, s.id);
    assert.match(
      await fails(client, "memoryoss_list", { namespace: "team-b" }),
      /^FORBIDDEN_NAMESPACE: namespace 'team-b' is not available/,
    );
  } finally {
    await client.close();
  }
});
