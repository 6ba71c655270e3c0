/**
 * The proxy's injection log (docs/proxy.md, "Injection log"): for each proxied request that
 * injected memories, what was asked (redacted, truncated), which memories went in with their
 * scores and channel breakdown, and why the other candidates were gated out. A bounded ring
 * buffer in the serve process only — never written to disk, gone on restart — read by the
 * dashboard through `GET /v1/dashboard/injections`, filtered to the caller's namespaces.
 */
import { isSafeForInjection, redactSensitive } from "../extract/mod.ts";
import { inScope, type NamespaceScope, type Runtime } from "../memory/mod.ts";
import type { Candidate, Channels } from "./gate.ts";

/** How many requests the log keeps (all namespaces together). */
export const INJECTION_LOG_CAPACITY = 200;
/** Characters of the recall query kept, after redaction. */
export const LOGGED_QUERY_CHARS = 200;

/** One memory that went into the prompt. */
export interface LoggedInjection {
  id: string;
  score: number;
  /** The per-channel scores recall gave the gate (null when the recall had none). */
  channels: Channels | null;
  provenance: string[];
}

/** Why a recalled candidate stayed out of the prompt. */
export type GatedOutReason =
  | "below_min_score"
  | "not_active"
  | "archived"
  | "low_trust"
  | "injection_filter"
  | "before_after_date"
  | "over_budget"
  | "task_state_omitted";

/** One recalled candidate that was not injected. */
export interface GatedOut {
  id: string;
  score: number;
  reason: GatedOutReason;
  /** The reason in words, e.g. "score 0.312 < 0.40". */
  detail: string;
}

/** One proxied request that injected memories. */
export interface InjectionLogEntry {
  at: string;
  request_id: string;
  provider: "openai" | "anthropic";
  route: string;
  namespace: string;
  /** The recall query, secrets redacted line by line, at most 200 characters. */
  query: string;
  mode: string;
  decision: string;
  gate_reasons: string[];
  min_score: number;
  injected: LoggedInjection[];
  gated_out: GatedOut[];
}

/** A fixed-size ring of log entries, newest last. */
export class InjectionLog {
  #entries: InjectionLogEntry[] = [];
  constructor(readonly capacity = INJECTION_LOG_CAPACITY) {}

  /** Append one entry, dropping the oldest beyond capacity. */
  record(e: InjectionLogEntry): void {
    this.#entries.push(e);
    if (this.#entries.length > this.capacity) {
      this.#entries.splice(0, this.#entries.length - this.capacity);
    }
  }

  /** The newest `limit` entries whose namespace is in `scope`, newest first. */
  recent(scope: NamespaceScope, limit = 20): InjectionLogEntry[] {
    const out: InjectionLogEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.#entries[i];
      if (inScope(scope, e.namespace)) out.push(structuredClone(e));
    }
    return out;
  }

  get size(): number {
    return this.#entries.length;
  }
}

const logs = new WeakMap<Runtime, InjectionLog>();

/**
 * The injection log of a runtime (one per serve process): the proxy writes it, the dashboard
 * route reads it.
 *
 * @example
 * ```ts
 * injectionLogFor(rt).recent(["default"], 20);
 * ```
 */
export function injectionLogFor(rt: Runtime): InjectionLog {
  let l = logs.get(rt);
  if (!l) {
    l = new InjectionLog();
    logs.set(rt, l);
  }
  return l;
}

/** The query as logged: secrets redacted (whole lines), then cut to 200 characters. */
export function loggedQuery(query: string): string {
  const red = redactSensitive(query).replace(/\s+/g, " ").trim();
  return red.length > LOGGED_QUERY_CHARS ? `${red.slice(0, LOGGED_QUERY_CHARS - 1)}…` : red;
}

/** Why the gate did not let `c` through (mirrors the gate's qualification test). */
export function gatedOutReason(
  c: Candidate,
  minScore: number,
): { reason: GatedOutReason; detail: string } | null {
  if (c.status !== "active") return { reason: "not_active", detail: `status ${c.status}` };
  if (c.archived) return { reason: "archived", detail: "archived" };
  if (!isSafeForInjection(c.content)) {
    return { reason: "injection_filter", detail: "looks like a prompt injection" };
  }
  if (c.low_trust) return { reason: "low_trust", detail: "low trust score" };
  if (c.score < minScore) {
    return {
      reason: "below_min_score",
      detail: `score ${c.score.toFixed(3)} < ${minScore.toFixed(2)}`,
    };
  }
  return null;
}

/** What {@link injectionEntry} needs from one proxied call. */
export interface InjectionFacts {
  requestId: string;
  provider: "chat" | "responses" | "anthropic";
  route: string;
  namespace: string;
  query: string;
  mode: string;
  decision: string;
  gateReasons: string[];
  minScore: number;
  /** Every recalled candidate, before the `after` cut. */
  recalled: Candidate[];
  /** The `after` cut-off of mode `after`, if any. */
  after?: number;
  /** Ids that made it into the `<memory_context>` block. */
  injectedIds: string[];
  /** Qualified ids the `<task_state>` left out for its two-per-bucket cap (not the budget). */
  notSelected?: string[];
  now: Date;
}

/** Build the log entry for one request that injected memories. */
export function injectionEntry(f: InjectionFacts): InjectionLogEntry {
  const injected = new Set(f.injectedIds);
  const notSelected = new Set(f.notSelected ?? []);
  const byId = new Map(f.recalled.map((c) => [c.id, c]));
  const gatedOut: GatedOut[] = [];
  for (const c of f.recalled) {
    if (injected.has(c.id)) continue;
    const score = c.score;
    if (f.after !== undefined && Date.parse(c.created_at) < f.after) {
      const detail = `created before ${new Date(f.after).toISOString()}`;
      gatedOut.push({ id: c.id, score, reason: "before_after_date", detail });
      continue;
    }
    const why = gatedOutReason(c, f.minScore) ??
      (notSelected.has(c.id)
        ? { reason: "task_state_omitted" as const, detail: "its <task_state> bucket was full" }
        : { reason: "over_budget" as const, detail: "did not fit the context budget" });
    gatedOut.push({ id: c.id, score, ...why });
  }
  return {
    at: f.now.toISOString(),
    request_id: f.requestId,
    provider: f.provider === "anthropic" ? "anthropic" : "openai",
    route: f.route,
    namespace: f.namespace,
    query: loggedQuery(f.query),
    mode: f.mode,
    decision: f.decision,
    gate_reasons: f.gateReasons,
    min_score: f.minScore,
    injected: f.injectedIds.map((id) => {
      const c = byId.get(id);
      return {
        id,
        score: c?.score ?? 0,
        channels: c?.channels ?? null,
        provenance: c?.provenance ?? [],
      };
    }),
    gated_out: gatedOut,
  };
}
