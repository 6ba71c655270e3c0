/** CLI: mcp-server — the MCP server on stdio, calling lib/ directly (no `serve` needed). */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { openRuntime } from "../lib/memory/mod.ts";
import { createContext, serveStdio } from "../lib/mcp/mod.ts";
import { type CommandSpec, namespaceValue, parseCommand, strValue } from "./_args.ts";
import type { Globals } from "./_io.ts";

const spec: CommandSpec = {
  name: "mcp-server",
  summary: "serve the memory tools to an MCP client over stdio",
  usage: ["mcp-server [--namespace NS] [--home DIR]"],
  options: {
    namespace: {
      type: "string",
      short: "n",
      value: "NS",
      description: "namespace for calls that name none (default: default)",
    },
    home: {
      type: "string",
      value: "DIR",
      description: "memoryoss home (default $MEMORYOSS_HOME, else ~/.memoryoss)",
    },
  },
  notes: [
    "Tools: memoryoss_recall, memoryoss_store, memoryoss_update, memoryoss_forget,",
    "memoryoss_feedback, memoryoss_list. stdout carries only MCP messages; the server exits",
    "when the client closes stdin. Register it with 'memoryoss setup --profile …'.",
  ],
  examples: [
    "claude mcp add memoryoss -- memoryoss mcp-server",
    "memoryoss mcp-server --namespace team",
  ],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "mcp-server takes no arguments");
  }
  const home = strValue(p.values.home);
  const loaded = await loadConfig({
    configPath: g.config,
    env: (k) => (k === "MEMORYOSS_HOME" && home ? home : Deno.env.get(k)),
  });
  const rt = await openRuntime(loaded);
  let server;
  try {
    const ctx = createContext(rt, { defaultNamespace: namespaceValue(p.values.namespace) });
    server = await serveStdio(ctx);
  } catch (e) {
    rt.close();
    throw e;
  }
  const stop = () => void server.stop();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  try {
    await server.finished;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
    rt.close();
  }
  return 0;
}
