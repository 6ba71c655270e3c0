/**
 * One proxied call: authenticate, read the body, recall → gate → inject (fail open), forward
 * upstream, stream or return the answer unchanged, and queue extraction once it completed.
 */
import type { Context } from "hono";
import { zstdDecompressSync } from "node:zlib";
import type { Config } from "../config/mod.ts";
import type { Extractor } from "../extract/mod.ts";
import { isLoopback } from "./auth.ts";
import type { Accumulator, Flavor } from "./flavors.ts";
import { evaluateFirewall, firewallVerdict } from "./firewall.ts";
import { gate, type ProxyRecall, recallWithBudget } from "./gate.ts";
import { buildMemoryContext, contextSize, type JsonObject } from "./inject.ts";
import { injectionEntry, type InjectionLog } from "./injection_log.ts";
import { resolveMemoryMode } from "./modes.ts";
import { tapStream } from "./sse.ts";
import type { ProxyStats } from "./stats.ts";

/** What every handler shares. */
export interface ProxyDeps {
  config: Config["proxy"];
  recall: ProxyRecall;
  extractor: Extractor;
  /** Records injections on the memories (fire and forget). */
  recordInjection: (ids: string[]) => void;
  /** What was injected for which request and why (in memory only). */
  injectionLog: InjectionLog;
  stats: ProxyStats;
  log: (level: "error" | "warn" | "info" | "debug", line: string) => void;
}

const PASS_RESPONSE =
  /^(content-type|request-id|retry-after|x-ratelimit-.*|anthropic-ratelimit-.*|openai-.*)$/i;
const PASS_REQUEST = ["accept", "openai-organization", "openai-project", "openai-beta"];

/** The socket address of the client (never `X-Forwarded-For`). */
export function clientHost(c: Context): string | undefined {
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname;
}

/** The server's request id (echoed as `X-Request-Id`), or a fresh one when run standalone. */
function requestId(c: Context): string {
  const id = (c.var as Record<string, unknown> | undefined)?.requestId;
  return typeof id === "string" ? id : crypto.randomUUID();
}

function fail(flavor: Flavor, status: number, message: string, type: string): Response {
  return Response.json(flavor.error(message, type), { status });
}

async function readBody(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = req.body?.getReader();
  if (!reader) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether `b` starts with the zstd frame magic `28 B5 2F FD`. */
function isZstd(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;
}

/** Handle one POST for `flavor`. */
export async function proxyCall(c: Context, flavor: Flavor, deps: ProxyDeps): Promise<Response> {
  const { config: cfg, stats } = deps;
  stats.requests++;
  const auth = flavor.auth(cfg, c.req.raw.headers, isLoopback(clientHost(c)));
  if (!auth) return fail(flavor, 401, "invalid or missing proxy API key", "authentication_error");
  let raw = await readBody(c.req.raw, cfg.max_body_bytes);
  if (!raw) return fail(flavor, 413, "request body too large", "invalid_request_error");
  if (isZstd(raw)) {
    // Codex sends zstd-compressed bodies; upstream gets the plain JSON.
    try {
      raw = new Uint8Array(zstdDecompressSync(raw, { maxOutputLength: cfg.max_body_bytes }));
    } catch {
      return fail(flavor, 400, "invalid or oversized zstd body", "invalid_request_error");
    }
  }
  let body: JsonObject;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return fail(flavor, 400, "request body must be a JSON object", "invalid_request_error");
  }
  const invalid = flavor.invalid(body);
  if (invalid) return fail(flavor, 400, invalid, "invalid_request_error");

  const mode = resolveMemoryMode(cfg, c.req.raw.headers);
  const turns = flavor.turns(body);
  const memHeaders: Record<string, string> = { "x-memory-mode": mode.mode };
  let injected = 0;
  let decision = "abstain";
  const query = mode.recall ? flavor.query(body) : "";
  if (mode.recall && query) {
    const r = await recallWithBudget(
      () => deps.recall(auth.namespace, query),
      cfg.recall_timeout_ms,
    );
    if (!r.ok) {
      stats.fail_open++;
      memHeaders["x-memory-fail-open"] = r.reason;
      const why = r.error instanceof Error ? `: ${r.error.message}` : "";
      deps.log(
        "warn",
        `proxy ${r.reason} after ${r.ms.toFixed(0)}ms${why}; forwarding without memory`,
      );
    } else {
      const after = mode.after?.getTime();
      const cands = after === undefined
        ? r.memories
        : r.memories.filter((m) => Date.parse(m.created_at) >= after);
      if (cfg.policy_firewall) {
        const fw = evaluateFirewall(query, cands, cfg.min_recall_score);
        const verdict = firewallVerdict(fw, c.req.header("x-memory-policy-confirm"));
        Object.assign(memHeaders, verdict.headers);
        if (verdict.status) {
          stats.policy_stopped++;
          const b = flavor.error(verdict.message!, "policy_firewall_error");
          (b.error as JsonObject).policy_firewall = fw;
          return Response.json(b, { status: verdict.status, headers: memHeaders });
        }
      }
      const g = gate(query, cands, {
        minScore: cfg.min_recall_score,
        enabled: cfg.confidence_gate,
      });
      decision = g.decision;
      if (g.decision === "inject") {
        const budget = Math.floor(
          contextSize(body.model, cfg.model_context_sizes) * cfg.max_memory_pct,
        );
        const block = buildMemoryContext(g.memories, budget, query);
        if (block.text) {
          flavor.inject(body, block.text);
          injected = block.ids.length;
          stats.injected++;
          deps.recordInjection(block.ids);
          deps.injectionLog.record(injectionEntry({
            requestId: requestId(c),
            provider: flavor.name,
            route: c.req.path,
            namespace: auth.namespace,
            query,
            mode: mode.mode,
            decision: g.decision,
            gateReasons: g.reasons,
            minScore: cfg.min_recall_score,
            recalled: r.memories,
            after,
            injectedIds: block.ids,
            notSelected: block.notSelected,
            now: new Date(),
          }));
        }
      }
    }
  }
  memHeaders["x-memory-injected-count"] = String(injected);
  memHeaders["x-memory-gate-decision"] = decision;

  const headers: Record<string, string> = { "content-type": "application/json", ...auth.headers };
  for (const h of PASS_REQUEST) {
    const v = c.req.header(h);
    if (v) headers[h] = v;
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), cfg.upstream_timeout_ms);
  let up: Response;
  try {
    up = await fetch(flavor.url(cfg), {
      method: "POST",
      headers,
      // Untouched requests go upstream byte for byte.
      body: injected > 0 ? JSON.stringify(body) : raw,
      signal: ctrl.signal,
    });
  } catch (e) {
    clearTimeout(timer);
    stats.upstream_errors++;
    deps.log("warn", `proxy upstream ${flavor.name} failed: ${e instanceof Error ? e.message : e}`);
    return fail(flavor, 502, "upstream request failed", "upstream_error");
  }

  const out = new Headers(memHeaders);
  for (const [k, v] of up.headers) if (PASS_RESPONSE.test(k)) out.set(k, v);
  const upstreamId = up.headers.get("x-request-id");
  if (upstreamId) out.set("x-upstream-request-id", upstreamId);
  const extract = mode.extract && cfg.extraction_enabled && up.ok;
  const submit = (answer: string) => {
    if (!extract) return;
    deps.extractor.submit(auth.namespace, [...turns, { role: "assistant", content: answer }]);
  };

  const isSse = (up.headers.get("content-type") ?? "").includes("text/event-stream");
  if (isSse && up.body && up.ok) {
    clearTimeout(timer); // a stream may legitimately run longer than the timeout
    const acc: Accumulator = { text: "", completed: false };
    const stream = tapStream(up.body, {
      onEvent: (ev) => flavor.onEvent(ev, acc),
      onFinish: (ended) => {
        if (ended && acc.completed) submit(acc.text);
        else if (!ended) stats.aborted_streams++;
      },
    });
    return new Response(stream, { status: up.status, headers: out });
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await up.arrayBuffer());
  } catch {
    stats.upstream_errors++;
    return fail(flavor, 502, "upstream response failed", "upstream_error");
  } finally {
    clearTimeout(timer);
  }
  if (extract) {
    try {
      submit(flavor.answer(JSON.parse(new TextDecoder().decode(bytes))));
    } catch { /* not JSON: nothing to learn from */ }
  }
  return new Response(bytes, { status: up.status, headers: out });
}
