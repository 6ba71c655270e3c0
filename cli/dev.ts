/**
 * CLI: dev — memoryOSS's dev mode ("mock embeddings, no TLS, relaxed auth"): the HTTP server on
 * loopback with the offline builtin embedder whatever the config names, plain HTTP whatever
 * `[tls]` says, and requests without credentials accepted as admin in namespace `default`
 * (`sub` "dev", so memories stored that way have source key `dev`). A credential that is sent
 * is still checked. No admin key is created.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { createEmbedder } from "../lib/embed/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { openRuntime } from "../lib/memory/mod.ts";
import { isLoopback } from "../lib/proxy/mod.ts";
import { type CommandSpec, parseCommand } from "./_args.ts";
import { bindServer, listenAddress, listenOptions, runUntilStopped } from "./_serving.ts";
import type { Globals } from "./_io.ts";

const spec: CommandSpec = {
  name: "dev",
  summary: "dev server: builtin embedder, no TLS, no key needed (loopback only)",
  usage: ["dev [--host 127.0.0.1] [--port 8000]"],
  options: listenOptions("loopback listen address"),
  notes: [
    "memoryOSS's `dev`: requests WITHOUT an Authorization header act as admin in namespace",
    "'default'; keys and tokens that are sent are checked as in `serve`. Refuses any address",
    "other than loopback. Use a scratch home (MEMORYOSS_HOME or -c) for experiments.",
    "Embeddings always come from the builtin embedder (offline, deterministic); [tls] is ignored.",
  ],
  examples: [
    "MEMORYOSS_HOME=/tmp/memdev memoryoss dev --port 8000",
    'curl -d \'{"content":"Deploy on Fridays."}\' localhost:8000/v1/store   # no key needed',
  ],
};

/** `memoryoss dev`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "dev takes no arguments");
  const loaded = await loadConfig({ configPath: g.config });
  for (const w of loaded.warnings) console.error(w);
  const at = listenAddress(p.values, loaded.config.server);
  if (!isLoopback(at.host) && at.host !== "localhost") {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--host ${at.host}: dev mode accepts requests without a key, so it listens on loopback only`,
      ["host"],
    );
  }
  const rt = await openRuntime(loaded, { embedder: await createEmbedder({ provider: "builtin" }) });
  const { server } = await bindServer(rt, at, {
    maxBodyBytes: loaded.config.server.max_body_bytes,
    allowPrivateWebhooks: loaded.config.sharing.allow_private_webhooks,
    sharingEnabled: loaded.config.sharing.enabled,
    devAuth: true,
  }, () => Promise.resolve(null));
  console.log("memoryoss: dev mode (no key needed: admin in 'default'; builtin embedder; no TLS)");
  console.log(`memoryoss listening on ${server.url} (home ${loaded.home})`);
  return await runUntilStopped(server, rt);
}
