/** CLI: serve — the HTTP server on embedded defaults. */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError, pathExists } from "../lib/errors/mod.ts";
import { openRuntime } from "../lib/memory/mod.ts";
import { resolveTls } from "../lib/server/mod.ts";
import { ensureAdminKey } from "../lib/auth/mod.ts";
import { type CommandSpec, namespaceValue, parseCommand } from "./_args.ts";
import { bindServer, listenAddress, listenOptions, runUntilStopped } from "./_serving.ts";
import type { Globals } from "./_io.ts";

const spec: CommandSpec = {
  name: "serve",
  summary: "run the memory server (SQLite + builtin embedder, no config needed)",
  usage: ["serve [--host 127.0.0.1] [--port 8000]"],
  options: listenOptions("listen address"),
  notes: [
    "Stops cleanly on Ctrl-C or SIGTERM, finishing requests and queued writes in flight.",
    "Every /v1 request needs 'Authorization: Bearer <key>'. The first start creates an admin",
    "key for every namespace, prints it once and saves it to <home>/admin.key (mode 0600),",
    "unless the config lists keys ([[auth.api_keys]], never printed).",
    "With [proxy] enabled, OpenAI and Anthropic clients use http://HOST:PORT/v1 as is.",
    "Config keys from memoryOSS that have no effect here are named on stderr, one line each.",
    "Per-key rate limit: MEMORYOSS_RATE_LIMIT_PER_SEC, else [limits] rate_limit_per_sec",
    "(default 100, 0 = off).",
    "HTTPS: [tls] enabled = true serves tls.cert_path/tls.key_path (relative to the home),",
    "or with neither set and auto_generate = true a self-signed certificate kept in the home",
    "(tls-cert.pem); its SHA-256 fingerprint is printed so clients can pin it.",
    "[sharing] allow_private_webhooks = true lets share webhooks call private addresses.",
  ],
  examples: [
    "memoryoss serve --port 8000",
    "memoryoss config set tls.enabled true && memoryoss serve   # HTTPS, self-signed",
  ],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "serve takes no arguments");
  const loaded = await loadConfig({ configPath: g.config });
  for (const w of loaded.warnings) console.error(w);
  const at = listenAddress(p.values, loaded.config.server);
  const rate = rateFromEnv();
  const tls = await resolveTls(loaded.config.tls, loaded.home, at.host);
  const rt = await openRuntime(loaded);
  const configKeys = loaded.config.auth.api_keys.length;
  const { server, started: boot } = await bindServer(rt, at, {
    maxBodyBytes: loaded.config.server.max_body_bytes,
    rateLimitPerSec: rate ?? loaded.config.limits.rate_limit_per_sec,
    defaultNamespace: namespaceValue(undefined),
    allowPrivateWebhooks: loaded.config.sharing.allow_private_webhooks,
    sharingEnabled: loaded.config.sharing.enabled,
    tls: tls && { cert: tls.cert, key: tls.key },
  }, async () =>
    // After binding, so a failed start never creates a key nobody saw. Keys in the config
    // stand in for the owner key.
    configKeys > 0 ? null : await ensureAdminKey(rt.store, loaded.home));
  if (!boot) {
    console.log(`memoryoss: API keys required (${configKeys} in the config's [[auth.api_keys]])`);
  } else if (boot.created) {
    console.log(
      `memoryoss: created the admin API key (admin on every namespace). It is shown once here ` +
        `and saved to ${boot.path} (mode 0600):\n  ${boot.key}`,
    );
  } else {
    const saved = await pathExists(boot.path);
    console.log(
      `memoryoss: API keys required (owner key file: ${boot.path}${saved ? "" : ", missing"})`,
    );
  }
  if (tls) {
    const made = tls.source.created ? "made a self-signed certificate, " : "";
    console.log(`memoryoss: TLS (${made}${tls.source.cert}); SHA-256 fingerprint:`);
    console.log(`  ${tls.fingerprint}`);
  }
  console.log(`memoryoss listening on ${server.url} (home ${loaded.home})`);
  return await runUntilStopped(server, rt);
}

function rateFromEnv(): number | undefined {
  const v = Deno.env.get("MEMORYOSS_RATE_LIMIT_PER_SEC");
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "MEMORYOSS_RATE_LIMIT_PER_SEC must be a number >= 0",
    );
  }
  return n;
}
