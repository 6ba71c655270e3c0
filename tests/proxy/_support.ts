/**
 * Proxy test harness: a fake upstream on loopback that records what it received and answers
 * with real wire formats (JSON, or SSE written in deliberately split chunks), and the proxy
 * sub-app served on loopback over a temp runtime.
 */
import { tempRuntime } from "../_support/runtime.ts";
import { Extractor } from "../../lib/extract/mod.ts";
import type { MemoryRecord } from "../../lib/store/mod.ts";
import {
  type Runtime,
  storeMemories,
  validateStoreInput,
  writeQueue,
} from "../../lib/memory/mod.ts";
import { createProxyApp, type ProxyRecall, type ProxyStats } from "../../lib/proxy/mod.ts";

/** Parsed JSON; tests index into it freely. */
// deno-lint-ignore no-explicit-any
export type Json = any;

/** One request the fake upstream received. */
export interface Received {
  path: string;
  headers: Headers;
  body: Json;
}

/** Decides the fake upstream's answer. */
export type Responder = (r: Received) => Response | Promise<Response>;

/** Everything a proxy test can touch. */
export interface ProxyEnv {
  url: string;
  upstream: string;
  rt: Runtime;
  received: Received[];
  extractor: Extractor;
  stats: ProxyStats;
  logs: string[];
  /** Wait for background extraction and queued writes. */
  settle(): Promise<void>;
  seed(content: string, extra?: Record<string, unknown>): Promise<string>;
  /** Swap the fake upstream's answer. */
  respond(fn: Responder): void;
}

/** The mapped client key every test config has (namespace `default`). */
export const PROXY_KEY = "pk-test-0001";
export const UPSTREAM_KEY = "sk-upstream-secret-0001";

/** An SSE response whose body is written as `chunks`, one write per chunk, with pauses. */
export function sseResponse(
  chunks: string[],
  opts: { gapMs?: number; hold?: Promise<void>; onCancel?: () => void } = {},
): Response {
  const enc = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const sleep = (ms: number) => new Promise<void>((r) => timer = setTimeout(r, ms));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [i, ch] of chunks.entries()) {
        if (cancelled) return;
        if (i === chunks.length - 1 && opts.hold) await opts.hold;
        if (cancelled) return;
        controller.enqueue(enc.encode(ch));
        await sleep(opts.gapMs ?? 5);
      }
      if (!cancelled) controller.close();
    },
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      opts.onCancel?.();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** Split `s` into pieces of `n` characters (events end up cut mid-line and mid-JSON). */
export function splitEvery(s: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out;
}

/** Run `fn` against a proxy (config lines appended to `[proxy]`) and a fake upstream. */
export async function withProxy(
  fn: (env: ProxyEnv) => Promise<void>,
  opts: { config?: string; recall?: ProxyRecall; responder?: Responder; upstreamUrl?: string } = {},
): Promise<void> {
  const received: Received[] = [];
  let responder: Responder = opts.responder ?? (() => Response.json({}));
  const fake = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const text = await req.text();
    let body: Json = null;
    try {
      body = JSON.parse(text);
    } catch { /* GET */ }
    const r = { path: new URL(req.url).pathname, headers: req.headers, body };
    received.push(r);
    return await responder(r);
  });
  const upstream = `http://127.0.0.1:${fake.addr.port}`;
  const config = `[proxy]
enabled = true
upstream_url = "${opts.upstreamUrl ?? `${upstream}/v1`}"
anthropic_upstream_url = "${upstream}/v1/messages"
key_mapping = [{ proxy_key = "${PROXY_KEY}", upstream_key = "${UPSTREAM_KEY}", namespace = "default" }]
${opts.config ?? ""}
`;
  const logs: string[] = [];
  try {
    await using t = await tempRuntime(config);
    const rt = t.rt;
    const queue = writeQueue(rt);
    const log = (_l: string, line: string) => void logs.push(line);
    const extractor = new Extractor(rt, queue, { log });
    const stats = {
      requests: 0,
      injected: 0,
      fail_open: 0,
      upstream_errors: 0,
      aborted_streams: 0,
      policy_stopped: 0,
    };
    const app = createProxyApp(rt, { queue, extractor, recall: opts.recall, log, stats });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (req, info) => app.fetch(req, info),
    );
    const settle = async () => {
      await extractor.drain();
      await queue.drain();
    };
    try {
      await fn({
        url: `http://127.0.0.1:${server.addr.port}`,
        upstream,
        rt,
        received,
        extractor,
        stats,
        logs,
        settle,
        seed: async (content, extra = {}) => {
          const [r] = await storeMemories(rt, [validateStoreInput(rt, { content, ...extra })]);
          return r.id;
        },
        respond: (f) => void (responder = f),
      });
    } finally {
      await server.shutdown();
      await settle();
      await queue.close();
    }
  } finally {
    await fake.shutdown();
  }
}

/** POST JSON to the proxy with the mapped key. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: Json }> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${PROXY_KEY}`,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = null;
  try {
    json = JSON.parse(text);
  } catch { /* SSE */ }
  return { status: res.status, headers: res.headers, text, json };
}

/** Records of the default namespace with `status`. */
export function memoriesWith(rt: Runtime, status: "active" | "candidate"): MemoryRecord[] {
  return rt.store.list({ namespace: "default", statuses: [status], archived: "include" }, {
    limit: 1000,
  }).map((m) => m.record);
}
