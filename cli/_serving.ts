/**
 * What `serve` and `dev` share: the listen options, binding the server (a port in use is one
 * clear line; the runtime is closed when the start fails) and running until SIGINT/SIGTERM.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import type { Runtime } from "../lib/memory/mod.ts";
import { type RunningServer, type ServerOptions, startServer } from "../lib/server/mod.ts";
import { type CommandSpec, intValue, strValue } from "./_args.ts";

/** `--host` and `--port`; `hostNote` says which addresses the command accepts. */
export function listenOptions(hostNote: string): CommandSpec["options"] {
  return {
    host: {
      type: "string",
      value: "ADDR",
      description: `${hostNote} (default from config: 127.0.0.1)`,
    },
    port: {
      type: "string",
      short: "p",
      value: "N",
      description: "port (default from config: 8000; 0 = any free port)",
    },
  };
}

/** The address to listen on: the flags, else the config's `[server]`. */
export function listenAddress(
  values: Record<string, unknown>,
  server: { host: string; port: number },
): { host: string; port: number } {
  const host = strValue(values.host) ?? server.host;
  const port = intValue(values.port, "port") ?? server.port;
  if (port > 65535) throw new MemoryossError("INVALID_INPUT", "--port must be 0..65535");
  return { host, port };
}

/**
 * Start the server on `rt`, then `afterStart` (its failure shuts the server down). On any
 * failure the runtime is closed; a port in use is UNAVAILABLE with a hint.
 */
export async function bindServer<T>(
  rt: Runtime,
  at: { host: string; port: number },
  opts: ServerOptions,
  afterStart: (server: RunningServer) => Promise<T>,
): Promise<{ server: RunningServer; started: T }> {
  let server: RunningServer | null = null;
  try {
    server = await startServer(rt, at.host, at.port, opts);
    const running = server;
    const started = await afterStart(running).catch(async (e) => {
      await running.shutdown();
      throw e;
    });
    return { server, started };
  } catch (e) {
    rt.close();
    if (e instanceof Deno.errors.AddrInUse) {
      throw new MemoryossError(
        "UNAVAILABLE",
        `${at.host}:${at.port} is already in use (try --port)`,
      );
    }
    throw e;
  }
}

/** Serve until SIGINT (or SIGTERM off Windows), then close the runtime. Exit code 0. */
export async function runUntilStopped(server: RunningServer, rt: Runtime): Promise<number> {
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
