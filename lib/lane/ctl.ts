/**
 * The control socket of `lane tend`: one request per connection (at most 256 bytes, trimmed),
 * one reply, then close — cmmd's protocol. A Unix socket where there is one; elsewhere
 * (Windows) loopback TCP, with the port and a random token in a private endpoint file.
 */
import { constantTimeEqual, toHex } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { unlessDenied } from "./denied.ts";

/** Largest request read from a connection. */
export const MAX_REQUEST_BYTES = 256;

/** Turns a request line into the reply text. */
export type ControlHandler = (request: string) => Promise<string>;

/** A listening control endpoint. */
export interface ControlServer {
  /** The socket path, or the endpoint file for TCP. */
  path: string;
  /** Stop accepting and wait for connections in flight. */
  close(): Promise<void>;
}

/** `unix` (default off Windows) or `tcp`; a path ending in `.json` means TCP. */
export type ControlTransport = "unix" | "tcp";

/**
 * The transport a control path stands for.
 *
 * @example
 * ```ts
 * transportOf("C:\\Users\\me\\.memoryoss\\lane\\ctl.json"); // "tcp"
 * ```
 */
export function transportOf(path: string): ControlTransport {
  return path.endsWith(".json") ? "tcp" : "unix";
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Listen on `path`. A stale socket or endpoint file (left by a crash) is replaced; the caller
 * must hold the tend lock so a live daemon's endpoint is never taken over.
 *
 * @example
 * ```ts
 * const srv = await serveControl("/tmp/ctl.sock", async (req) => req === "ping" ? "pong\n" : "?\n");
 * await srv.close();
 * ```
 */
export async function serveControl(path: string, handler: ControlHandler): Promise<ControlServer> {
  await Deno.remove(path).catch(() => {});
  let listener: Deno.Listener;
  let token: string | null = null;
  if (transportOf(path) === "unix") {
    listener = Deno.listen({ transport: "unix", path });
    await Deno.chmod(path, 0o600).catch(unlessDenied(undefined, `chmod ${path}`));
  } else {
    listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    token = toHex(crypto.getRandomValues(new Uint8Array(16)));
    const port = (listener.addr as Deno.NetAddr).port;
    await Deno.writeTextFile(path, JSON.stringify({ port, token }) + "\n", { mode: 0o600 });
  }
  const inFlight = new Set<Promise<void>>();
  const accept = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // listener closed
      }
      const p = serveOne(conn, handler, token).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();
  return {
    path,
    async close() {
      listener.close();
      await accept;
      await Promise.allSettled([...inFlight]);
      await Deno.remove(path).catch(() => {});
    },
  };
}

async function serveOne(conn: Deno.Conn, handler: ControlHandler, token: string | null) {
  try {
    const buf = new Uint8Array(MAX_REQUEST_BYTES + (token ? token.length + 1 : 0));
    const n = await conn.read(buf);
    let request = dec.decode(buf.subarray(0, n ?? 0)).trim();
    if (token) {
      if (!constantTimeEqual(request.slice(0, token.length), token)) {
        await writeAll(conn, enc.encode(`{"ok":false,"error":"unauthorized"}\n`));
        return;
      }
      request = request.slice(token.length).trim();
    }
    await writeAll(conn, enc.encode(await handler(request)));
  } catch {
    /* the client went away */
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/**
 * Send one request and read the whole reply.
 *
 * @example
 * ```ts
 * await sendControl("/home/me/.memoryoss/lane/ctl.sock", "ping"); // "pong\n"
 * ```
 */
export async function sendControl(
  path: string,
  request: string,
  timeoutMs = 10_000,
): Promise<string> {
  const down = () =>
    new MemoryossError(
      "UNAVAILABLE",
      `no lane tend is listening on ${path} (start one with 'memoryoss lane tend')`,
    );
  let conn: Deno.Conn;
  let line = request;
  try {
    if (transportOf(path) === "unix") conn = await Deno.connect({ transport: "unix", path });
    else {
      const { port, token } = JSON.parse(await Deno.readTextFile(path));
      conn = await Deno.connect({ hostname: "127.0.0.1", port });
      line = `${token} ${request}`;
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.ConnectionRefused) {
      throw down();
    }
    throw e;
  }
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed */ }
  }, timeoutMs);
  try {
    await writeAll(conn, enc.encode(line));
    return await new Response(conn.readable).text();
  } catch (e) {
    throw new MemoryossError("UNAVAILABLE", `control endpoint ${path}: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
