/**
 * MCP tools apply the same input checks as the CLI and HTTP: a lone surrogate in content or
 * tags is a tool error naming the field, and a deeply nested argument is refused without
 * taking the server down.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createContext, handleMcpRequest } from "../../lib/mcp/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { fails, ok } from "./_client.ts";

/** `n` objects nested in each other, built without recursion. */
function deep(n: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

Deno.test("mcp store: a lone surrogate in content or tags, or a 10,000-level argument, is a tool error; nothing stored", async () => {
  await using t = await tempRuntime();
  const ctx = createContext(t.rt, { scope: "*", actor: "key:test" });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handleMcpRequest(ctx, req),
  );
  const client = new Client({ name: "memoryoss-input-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.addr.port}/mcp`)),
  );
  try {
    assert.match(
      await fails(client, "memoryoss_store", { content: "lone \ud800 surrogate" }),
      /not well-formed Unicode.* at content$/,
    );
    assert.match(
      await fails(client, "memoryoss_store", { content: "fine", tags: ["ok", "\udc00"] }),
      /not well-formed Unicode.* at tags\[1\]$/,
    );
    assert.match(
      await fails(client, "memoryoss_store", { content: "fine", extra: deep(10_000) }),
      /extra/,
    );
    assert.equal((await ok(client, "memoryoss_list", {})).total, 0);
    const s = await ok(client, "memoryoss_store", { content: "Still serving: \u{1F600}" });
    assert.equal((await ok(client, "memoryoss_recall", { query: "serving" })).memories[0].id, s.id);
  } finally {
    await client.close();
  }
});
