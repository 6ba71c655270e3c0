/**
 * Drive tests/_support/engine_peer.ts child processes: spawn one on a store URL, send it
 * commands, read its JSON-line answers (waiting for one that matches).
 */
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./engine_peer.ts", import.meta.url));

/**
 * Reader of one JSON value per line from `out`; at the end of the stream it throws with the
 * message `ended` gives.
 */
export function jsonLines(
  out: ReadableStreamDefaultReader<string>,
  ended: () => Promise<string> | string,
): () => Promise<Record<string, unknown>> {
  let buf = "";
  return async () => {
    for (;;) {
      const i = buf.indexOf("\n");
      if (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        return JSON.parse(line);
      }
      const r = await out.read();
      if (r.done) throw new Error(await ended());
      buf += r.value;
    }
  };
}

/** A running peer. */
export interface Peer {
  send(cmd: Record<string, unknown>): Promise<void>;
  /** The next answer for which `match` is true (earlier ones are dropped). */
  until(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Send quit and wait: exit code and stderr. */
  quit(): Promise<{ code: number; stderr: string }>;
}

/** Start a peer on `url` (`postgres://…` or `sqlite:PATH`). */
export function startPeer(url: string): Peer {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", SCRIPT, url],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const err = new Response(child.stderr).text();
  const next = jsonLines(out, async () => `peer ended early: ${await err}`);
  return {
    send: (cmd) => w.write(new TextEncoder().encode(JSON.stringify(cmd) + "\n")),
    async until(match) {
      for (;;) {
        const m = await next();
        if (match(m)) return m;
      }
    },
    async quit() {
      // A peer that already ended (its error is in stderr) has no stdin left.
      await w.write(new TextEncoder().encode(JSON.stringify({ op: "quit" }) + "\n"))
        .catch(() => {});
      await w.close().catch(() => {});
      while (!(await out.read()).done) { /* drain */ }
      const st = await child.status;
      return { code: st.code, stderr: await err };
    },
  };
}
