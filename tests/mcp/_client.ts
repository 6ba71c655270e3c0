/** A real MCP client from the SDK, talking to `mcp-server` in a subprocess over stdio. */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ENTRY = new URL("./_entry.ts", import.meta.url).pathname;

/** A connected client; dispose closes it (and so ends the server process). */
export interface Connected {
  client: Client;
  stderr(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Spawn `mcp-server ARGS…` on `home` and connect. */
export async function connect(home: string, ...args: string[]): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", ENTRY, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Uint8Array) => err += new TextDecoder().decode(d));
  const client = new Client({ name: "memoryoss-test", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => err,
    async [Symbol.asyncDispose]() {
      await client.close();
    },
  };
}

/** A tool call's text and error flag. */
export async function call(
  c: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string }> {
  const r = await c.callTool({ name, arguments: args });
  const content = r.content as { type: string; text: string }[];
  assert.equal(content[0]?.type, "text");
  return { isError: r.isError === true, text: content[0].text };
}

/** Call a tool that must succeed; its JSON result. */
// deno-lint-ignore no-explicit-any
export async function ok(c: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const r = await call(c, name, args);
  assert.ok(!r.isError, `${name} failed: ${r.text}`);
  return JSON.parse(r.text);
}

/** Call a tool that must fail; its error text. */
export async function fails(
  c: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const r = await call(c, name, args);
  assert.ok(r.isError, `${name} should have failed, got: ${r.text}`);
  return r.text;
}
