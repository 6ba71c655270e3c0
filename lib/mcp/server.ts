/**
 * The MCP server object: tools registered on the SDK's McpServer, with every failure turned
 * into an MCP tool error (`isError: true`, "CODE: message") so a bad call never takes the
 * server down. Transport-free: stdio connects it here, `serve` can connect it to streamable
 * HTTP later.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { roleAllows } from "../auth/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { VERSION } from "../version.ts";
import type { McpContext } from "./context.ts";
import { type ToolDef, TOOLS, ToolText } from "./tools.ts";

/** What the server tells the model when it connects. */
export const INSTRUCTIONS = [
  "memoryoss is your persistent memory across sessions.",
  "- At the start of every task, and before design decisions, call memoryoss_recall with a " +
  "focused keyword query (not the raw prompt) unless the topic is already in context.",
  "- When the user states a preference, makes a decision, corrects you or says 'remember', " +
  "call memoryoss_store in the same turn: one self-contained fact per call, no secrets.",
  "- Prefer memoryoss_update over storing a conflicting copy; use memoryoss_feedback to " +
  "confirm, reject or supersede what recall returned.",
  "- Never call memoryoss_forget with all: true unless the user asked to empty the namespace.",
].join("\n");

/** Text of a tool error for `e`; internal failures keep their message but never a stack. */
export function toolErrorText(e: unknown): string {
  if (e instanceof MemoryossError) return `${e.code}: ${e.message}`;
  if (e instanceof Deno.errors.NotCapable) return `FORBIDDEN: permission denied: ${e.message}`;
  return `INTERNAL: ${e instanceof Error ? e.message : String(e)}`;
}

/** A tool result carrying `value` as pretty JSON text. */
function ok(value: unknown): CallToolResult {
  if (value instanceof ToolText) return { content: [{ type: "text", text: value.text }] };
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
}

/**
 * A long-lived MCP server follows `embed swap` made by another process (between writes), as
 * `serve` does; if the new embedder cannot be built it says why once and keeps the old one.
 */
async function followSwap(ctx: McpContext): Promise<void> {
  if (!ctx.rt.embedderSwapped()) return;
  await ctx.queue.run(() => ctx.rt.followEmbedderSwap()).catch((e) =>
    console.error(`memoryoss: embed swap: cannot switch embedders (${toolErrorText(e)})`)
  );
}

function register<S extends z.ZodObject>(server: McpServer, ctx: McpContext, def: ToolDef<S>) {
  server.registerTool(def.name, {
    title: def.title,
    description: def.description,
    inputSchema: def.input,
    annotations: { title: def.title, ...def.annotations },
  }, async (args: z.infer<S>): Promise<CallToolResult> => {
    try {
      if (!roleAllows(ctx.role, def.role)) {
        throw new MemoryossError(
          "FORBIDDEN",
          `${def.name} needs the ${def.role} role; this credential has ${ctx.role}`,
        );
      }
      await followSwap(ctx);
      return ok(await def.run(ctx, args));
    } catch (e) {
      return { isError: true, content: [{ type: "text", text: toolErrorText(e) }] };
    }
  });
}

/**
 * An McpServer with the memoryoss tools bound to `ctx`. Connect it to any transport.
 *
 * @example
 * ```ts
 * const server = createMcpServer(createContext(rt));
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: "memoryoss", title: "memoryoss", version: VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {} } },
  );
  for (const def of TOOLS) register(server, ctx, def);
  return server;
}
