/**
 * The queue write of `remember` without the input schema: the limits, the sealed INSERT, and a
 * plain-input check that lets the CLI skip loading zod. `remember.ts` adds the schema (every
 * input the plain check does not vouch for goes through it, for the error's path and text).
 * `cli/remember.ts` imports this module directly: start-up (docs/benchmarks.md "Start-up").
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Config } from "../config/mod.ts";
import { CATEGORIES, rememberPayloadRef, type Store } from "../store/mod.ts";
import { DEFAULT_NAMESPACE } from "./namespace.ts";
import type { RememberInput } from "./remember.ts";

/** What `remember` returns. */
export interface RememberResult {
  action: "queued";
  queue_id: number;
  namespace: string;
  enqueued_at: string;
}

const NAMESPACE = /^[\p{L}\p{N}_-]+$/u;
const text = (v: unknown, max: number): v is string =>
  typeof v === "string" && v.length <= max && v.isWellFormed();

/**
 * `raw` as the schema would return it when it is plainly valid: only `content`, `tags`,
 * `namespace`, `agent`, `session` and `category`, each well within the schema's rules (the
 * shapes the CLI builds). Anything else (other fields, nulls, a doubtful value) is null, and
 * the caller validates with `RememberInputSchema`, which accepts or names the problem. So this
 * never accepts what the schema refuses (tests/remember/plain_input_test.ts).
 */
export function plainRememberInput(raw: unknown): RememberInput | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!["content", "tags", "namespace", "agent", "session", "category"].includes(k)) return null;
  }
  const { content, tags, namespace, agent, session, category } = r;
  if (!text(content, Infinity) || content.trim().length === 0) return null;
  if (
    "tags" in r &&
    !(Array.isArray(tags) && tags.length <= 50 &&
      tags.every((t) => text(t, 256) && t.length > 0))
  ) return null;
  if ("namespace" in r && !(text(namespace, 128) && NAMESPACE.test(namespace))) return null;
  if ("agent" in r && !text(agent, 256)) return null;
  if ("session" in r && !text(session, 256)) return null;
  if ("category" in r && !(CATEGORIES as readonly unknown[]).includes(category)) return null;
  // The schema's field order (its output is what the queue row stores).
  const out: Record<string, unknown> = { content };
  for (const k of ["tags", "namespace", "agent", "session", "category"]) {
    if (k in r) out[k] = k === "tags" ? [...(tags as string[])] : r[k];
  }
  return out as RememberInput;
}

/**
 * Append one validated fact to the queue (one INSERT, autocommitted), after the configured
 * limits.
 */
export function enqueueValid(
  store: Store,
  config: Config,
  input: RememberInput,
  now: Date = new Date(),
): RememberResult {
  const lim = config.limits;
  const bytes = new TextEncoder().encode(input.content).length;
  if (bytes > lim.max_content_bytes) {
    throw new MemoryossError(
      "PAYLOAD_TOO_LARGE",
      `content is ${bytes} bytes; the limit is ${lim.max_content_bytes} (limits.max_content_bytes)`,
      ["content"],
    );
  }
  if ((input.tags?.length ?? 0) > lim.max_tags) {
    throw new MemoryossError("INVALID_INPUT", `at most ${lim.max_tags} tags`, ["tags"]);
  }
  const { namespace, ...payload } = input;
  const ns = namespace ?? DEFAULT_NAMESPACE;
  const at = now.toISOString();
  // Sealed like memory content (the queue holds the fact until a drain applies it).
  const row = store.transaction(() =>
    store.db.prepare(
      "INSERT INTO remember_queue (namespace, payload, enqueued_at) VALUES (?, ?, ?) RETURNING id",
    ).get(ns, store.sealValue(rememberPayloadRef(ns), JSON.stringify(payload)), at)
  ) as { id: number };
  return { action: "queued", queue_id: row.id, namespace: ns, enqueued_at: at };
}
