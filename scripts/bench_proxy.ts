/**
 * Proxy overhead (issue 4): the same chat-completion requests sent straight to a fake upstream
 * on loopback and through `/proxy/v1/chat/completions` (recall → gate → inject → forward), at a
 * given store size. Reports p50/p95 of both and the difference. Prints markdown.
 *
 *   deno run -A scripts/bench_proxy.ts [--size 20000] [--requests 200]
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/mod.ts";
import { importText, openRuntime } from "../lib/memory/mod.ts";
import { startServer } from "../lib/server/mod.ts";
import { syntheticMemories, syntheticQueries } from "./synthetic.ts";

/** Results of one run. */
export interface ProxyBenchResult {
  size: number;
  direct_p50_ms: number;
  direct_p95_ms: number;
  proxy_p50_ms: number;
  proxy_p95_ms: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const ANSWER = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 0,
  model: "gpt-bench",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** Measure direct vs proxied latency at `size` memories. */
export async function benchProxy(size = 20000, requests = 200): Promise<ProxyBenchResult> {
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    await r.arrayBuffer();
    return new Response(ANSWER, { headers: { "content-type": "application/json" } });
  });
  const home = await Deno.makeTempDir({ prefix: "memoryoss-bench-proxy-" });
  const upstreamUrl = `http://127.0.0.1:${upstream.addr.port}/v1`;
  await Deno.writeTextFile(
    `${home}/memoryoss.toml`,
    `[proxy]\nenabled = true\nupstream_url = "${upstreamUrl}"\nextraction_enabled = false\n` +
      `key_mapping = [{ proxy_key = "pk-bench-0001", upstream_key = "sk-up", namespace = "bench" }]\n`,
  );
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  const server = await startServer(rt, "127.0.0.1", 0, { rateLimitPerSec: 0, log: () => {} });
  try {
    await importText(rt, syntheticMemories(size).join("\n"), { namespace: "bench" });
    rt.syncIndex();
    const queries = syntheticQueries(requests);
    const body = (q: string) =>
      JSON.stringify({ model: "gpt-bench", messages: [{ role: "user", content: q }] });
    const run = async (url: string, key: string) => {
      const times: number[] = [];
      for (const q of queries) {
        const t0 = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: body(q),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
        times.push(performance.now() - t0);
      }
      return times;
    };
    await run(`${upstreamUrl}/chat/completions`, "sk-up"); // warm both paths
    await run(`${server.url}/proxy/v1/chat/completions`, "pk-bench-0001");
    const direct = await run(`${upstreamUrl}/chat/completions`, "sk-up");
    const proxied = await run(`${server.url}/proxy/v1/chat/completions`, "pk-bench-0001");
    return {
      size,
      direct_p50_ms: pct(direct, 50),
      direct_p95_ms: pct(direct, 95),
      proxy_p50_ms: pct(proxied, 50),
      proxy_p95_ms: pct(proxied, 95),
    };
  } finally {
    await server.shutdown();
    rt.close();
    await upstream.shutdown();
    await Deno.remove(home, { recursive: true });
  }
}

/** Markdown table for results. */
export function proxyBenchTable(rows: ProxyBenchResult[]): string {
  const f = (x: number) => x.toFixed(1);
  return [
    "| memories | direct p50 ms | direct p95 ms | proxy p50 ms | proxy p95 ms | added p50 | added p95 |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) =>
      `| ${r.size} | ${f(r.direct_p50_ms)} | ${f(r.direct_p95_ms)} | ${f(r.proxy_p50_ms)} | ${
        f(r.proxy_p95_ms)
      } | ${f(r.proxy_p50_ms - r.direct_p50_ms)} | ${f(r.proxy_p95_ms - r.direct_p95_ms)} |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      size: { type: "string", default: "20000" },
      requests: { type: "string", default: "200" },
    },
  });
  console.log(proxyBenchTable([await benchProxy(Number(values.size), Number(values.requests))]));
}
