/**
 * One proxied call: authenticate, read the body, recall → gate → inject (fail open), forward
 * upstream, stream or return the answer unchanged, and queue extraction once it completed.
 */
import type { Context } from "hono";
import type { Config } from "../config/mod.ts";
import type { Extractor } from "../extract/mod.ts";
import { isLoopback } from "./auth.ts";
import { clientHost, type ProxyEnv, requestId } from "./env.ts";
import type { Accumulator, Flavor } from "./flavors.ts";
import { evaluateFirewall, firewallVerdict } from "./firewall.ts";
import { type Candidate, gate, type ProxyRecall, recallWithBudget } from "./gate.ts";
import { buildMemoryContext, contextSize, type JsonObject } from "./inject.ts";
import { injectionEntry, type InjectionLog } from "./injection_log.ts";
import { type ModeDecision, resolveMemoryMode } from "./modes.ts";
import { fail, readJsonRequest } from "./request.ts";
import { tapStream } from "./sse.ts";
import type { ProxyStats } from "./stats.ts";

export { clientHost } from "./env.ts";

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

/** Handle one POST for `flavor`. */
export async function proxyCall(
  c: Context<ProxyEnv>,
  flavor: Flavor,
  deps: ProxyDeps,
): Promise<Response> {
  const { config: cfg, stats } = deps;
  stats.requests++;
  const auth = flavor.auth(cfg, c.req.raw.headers, isLoopback(clientHost(c)));
  if (!auth) return fail(flavor, 401, "invalid or missing proxy API key", "authentication_error");
  const req = await readJsonRequest(c.req.raw, flavor, cfg.max_body_bytes);
  if (req instanceof Response) return req;

  const mode = resolveMemoryMode(cfg, c.req.raw.headers);
  const turns = flavor.turns(req.body); // before injection changes the body
  const memory = await withMemory(c, flavor, deps, { namespace: auth.namespace, mode }, req.body);
  if (memory instanceof Response) return memory;

  // Untouched requests go upstream byte for byte.
  const payload = memory.injected > 0 ? JSON.stringify(req.body) : req.raw;
  const sent = await forward(c, flavor, deps, auth.headers, payload);
  if ("failed" in sent) return sent.failed;
  const extract = mode.extract && cfg.extraction_enabled && sent.up.ok;
  const submit = extract
    ? (answer: string) =>
      deps.extractor.submit(auth.namespace, [...turns, { role: "assistant", content: answer }])
    : undefined;
  return await relay(sent, flavor, deps, memory.headers, submit);
}

/** Who the call is for and how its memory mode reads. */
type CallScope = { namespace: string; mode: ModeDecision };

/**
 * Recall → firewall → gate → inject into `body`, failing open when recall fails or is slow:
 * the `x-memory-*` headers and how many memories went in, or the firewall's stop.
 */
async function withMemory(
  c: Context<ProxyEnv>,
  flavor: Flavor,
  deps: ProxyDeps,
  scope: CallScope,
  body: JsonObject,
): Promise<{ headers: Record<string, string>; injected: number } | Response> {
  const cfg = deps.config;
  const headers: Record<string, string> = { "x-memory-mode": scope.mode.mode };
  let outcome = { injected: 0, decision: "abstain" };
  const query = scope.mode.recall ? flavor.query(body) : "";
  if (scope.mode.recall && query) {
    const r = await recallWithBudget(
      () => deps.recall(scope.namespace, query),
      cfg.recall_timeout_ms,
    );
    if (!r.ok) {
      deps.stats.fail_open++;
      headers["x-memory-fail-open"] = r.reason;
      const why = r.error instanceof Error ? `: ${r.error.message}` : "";
      deps.log(
        "warn",
        `proxy ${r.reason} after ${r.ms.toFixed(0)}ms${why}; forwarding without memory`,
      );
    } else {
      const step = injectMemories(c, flavor, deps, { ...scope, query, body, headers }, r.memories);
      if (step instanceof Response) return step;
      outcome = step;
    }
  }
  headers["x-memory-injected-count"] = String(outcome.injected);
  headers["x-memory-gate-decision"] = outcome.decision;
  return { headers, injected: outcome.injected };
}

/** A call with its query, the body to inject into and the memory headers so far. */
type InjectTarget = CallScope & {
  query: string;
  body: JsonObject;
  headers: Record<string, string>;
};

/** The recalled memories (after the `after` mode's cut) through firewall and gate into `body`. */
function injectMemories(
  c: Context<ProxyEnv>,
  flavor: Flavor,
  deps: ProxyDeps,
  t: InjectTarget,
  recalled: Candidate[],
): { injected: number; decision: string } | Response {
  const cfg = deps.config;
  const after = t.mode.after?.getTime();
  const cands = after === undefined
    ? recalled
    : recalled.filter((m) => Date.parse(m.created_at) >= after);
  if (cfg.policy_firewall) {
    const stop = firewallStop(c, flavor, deps, t, cands);
    if (stop) return stop;
  }
  const g = gate(t.query, cands, { minScore: cfg.min_recall_score, enabled: cfg.confidence_gate });
  if (g.decision !== "inject") return { injected: 0, decision: g.decision };
  const budget = Math.floor(
    contextSize(t.body.model, cfg.model_context_sizes) * cfg.max_memory_pct,
  );
  const block = buildMemoryContext(g.memories, budget, t.query);
  if (!block.text) return { injected: 0, decision: g.decision };
  flavor.inject(t.body, block.text);
  deps.stats.injected++;
  deps.recordInjection(block.ids);
  deps.injectionLog.record(injectionEntry({
    requestId: requestId(c),
    provider: flavor.name,
    route: c.req.path,
    namespace: t.namespace,
    query: t.query,
    mode: t.mode.mode,
    decision: g.decision,
    gateReasons: g.reasons,
    minScore: cfg.min_recall_score,
    recalled,
    after,
    injectedIds: block.ids,
    notSelected: block.notSelected,
    now: new Date(),
  }));
  return { injected: block.ids.length, decision: g.decision };
}

/** The policy firewall: its headers join `t.headers`; a stop is answered at once. */
function firewallStop(
  c: Context<ProxyEnv>,
  flavor: Flavor,
  deps: ProxyDeps,
  t: InjectTarget,
  cands: Candidate[],
): Response | undefined {
  const fw = evaluateFirewall(t.query, cands, deps.config.min_recall_score);
  const verdict = firewallVerdict(fw, c.req.header("x-memory-policy-confirm"));
  Object.assign(t.headers, verdict.headers);
  if (!verdict.status) return undefined;
  deps.stats.policy_stopped++;
  const b = flavor.error(verdict.message!, "policy_firewall_error");
  (b.error as JsonObject).policy_firewall = fw;
  return Response.json(b, { status: verdict.status, headers: t.headers });
}

/** An upstream answer whose body is still to be read, under the upstream timeout. */
type Sent = { up: Response; timer: ReturnType<typeof setTimeout> };

/** POST `payload` upstream with the caller's pass-through headers; a 502 when that fails. */
async function forward(
  c: Context<ProxyEnv>,
  flavor: Flavor,
  deps: ProxyDeps,
  authHeaders: Record<string, string>,
  payload: string | Uint8Array<ArrayBuffer>,
): Promise<Sent | { failed: Response }> {
  const headers: Record<string, string> = { "content-type": "application/json", ...authHeaders };
  for (const h of PASS_REQUEST) {
    const v = c.req.header(h);
    if (v) headers[h] = v;
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), deps.config.upstream_timeout_ms);
  try {
    const up = await fetch(flavor.url(deps.config), {
      method: "POST",
      headers,
      body: payload,
      signal: ctrl.signal,
    });
    return { up, timer };
  } catch (e) {
    clearTimeout(timer);
    deps.stats.upstream_errors++;
    deps.log("warn", `proxy upstream ${flavor.name} failed: ${e instanceof Error ? e.message : e}`);
    return { failed: fail(flavor, 502, "upstream request failed", "upstream_error") };
  }
}

/**
 * The upstream answer back to the client with the memory headers: an SSE stream tapped as it
 * passes, or the JSON bytes unchanged; `submit` gets the completed answer text for extraction.
 */
async function relay(
  { up, timer }: Sent,
  flavor: Flavor,
  deps: ProxyDeps,
  memHeaders: Record<string, string>,
  submit: ((answer: string) => void) | undefined,
): Promise<Response> {
  const out = new Headers(memHeaders);
  for (const [k, v] of up.headers) if (PASS_RESPONSE.test(k)) out.set(k, v);
  const upstreamId = up.headers.get("x-request-id");
  if (upstreamId) out.set("x-upstream-request-id", upstreamId);

  const isSse = (up.headers.get("content-type") ?? "").includes("text/event-stream");
  if (isSse && up.body && up.ok) {
    clearTimeout(timer); // a stream may legitimately run longer than the timeout
    const acc: Accumulator = { text: "", completed: false };
    const stream = tapStream(up.body, {
      onEvent: (ev) => flavor.onEvent(ev, acc),
      onFinish: (ended) => {
        if (ended && acc.completed) submit?.(acc.text);
        else if (!ended) deps.stats.aborted_streams++;
      },
    });
    return new Response(stream, { status: up.status, headers: out });
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await up.arrayBuffer());
  } catch {
    deps.stats.upstream_errors++;
    return fail(flavor, 502, "upstream response failed", "upstream_error");
  } finally {
    clearTimeout(timer);
  }
  if (submit) {
    try {
      submit(flavor.answer(JSON.parse(new TextDecoder().decode(bytes))));
    } catch { /* not JSON: nothing to learn from */ }
  }
  return new Response(bytes, { status: up.status, headers: out });
}
