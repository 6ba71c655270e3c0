/** CLI: serve — the HTTP server on embedded defaults. */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { openRuntime } from "../lib/memory/mod.ts";
import { startServer } from "../lib/server/mod.ts";
import { type CommandSpec, intValue, parseCommand, strValue } from "./_args.ts";
import type { Globals } from "./_io.ts";

const spec: CommandSpec = {
  name: "serve",
  summary: "run the memory server (SQLite + builtin embedder, no config needed)",
  usage: ["serve [--host 127.0.0.1] [--port 8000]"],
  options: {
    host: {
      type: "string",
      value: "ADDR",
      description: "listen address (default from config: 127.0.0.1)",
    },
    port: {
      type: "string",
      short: "p",
      value: "N",
      description: "port (default from config: 8000; 0 = any free port)",
    },
  },
  notes: ["Stops cleanly on Ctrl-C or SIGTERM, finishing requests in flight."],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "serve takes no arguments");
  const loaded = await loadConfig({ configPath: g.config });
  const host = strValue(p.values.host) ?? loaded.config.server.host;
  const port = intValue(p.values.port, "port") ?? loaded.config.server.port;
  if (port > 65535) throw new MemoryossError("INVALID_INPUT", "--port must be 0..65535");
  const rt = await openRuntime(loaded);
  let server;
  try {
    server = await startServer(rt, host, port);
  } catch (e) {
    rt.close();
    if (e instanceof Deno.errors.AddrInUse) {
      throw new MemoryossError("UNAVAILABLE", `${host}:${port} is already in use (try --port)`);
    }
    throw e;
  }
  console.log(`memoryoss listening on ${server.url} (home ${loaded.home})`);
  const stop = async () => {
    await server.shutdown();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  await server.finished;
  for (const s of signals) Deno.removeSignalListener(s, stop);
  rt.close();
  console.log("memoryoss stopped");
  return 0;
}
