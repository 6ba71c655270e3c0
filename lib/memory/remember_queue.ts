/**
 * The queue write of `remember` without the input schema: the limits, the sealed INSERT, and a
 * plain-input check that lets the CLI skip loading zod. `remember.ts` adds the schema (every
 * input the plain check does not vouch for goes through it, for the error's path and text).
 * `cli/remember.ts` imports this module directly: start-up (docs/benchmarks.md "Start-up").
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Config } from "../config/mod.ts";
// Leaf modules, not the store barrel (which evaluates every SQL module and the engine): start-up.
import { CATEGORIES } from "../store/record.ts";
import { enqueueRememberPayload } from "../store/queue_sql.ts";
import { rememberPayloadRef, sealFieldAsync } from "../store/sealed.ts";
import type { Store } from "../store/mod.ts";
import { DEFAULT_NAMESPACE } from "./namespace.ts";
import type { RememberInput } from "./remember.ts";
import { qualityWarnings } from "./remember_quality.ts";
import { plainSharedFields, text } from "./store_plain.ts";

/** What `remember` returns: memman's keys first (`store` is the namespace), then ours. */
export interface RememberResult {
  action: "queued";
  queue_id: number;
  store: string;
  /** memman's advisory quality check (remember_quality.ts); never blocks the write. */
  quality_warnings: string[];
  namespace: string;
  enqueued_at: string;
}

/** The fields the plain check vouches for, in the schema's order. */
const PLAIN_FIELDS = [
  "content",
  "tags",
  "namespace",
  "agent",
  "session",
  "category",
  "metadata",
  "no_reconcile",
];

/** The metadata memman's flags make (`--imp`, `--entities`, `--source`), plainly valid. */
function plainMetadata(m: unknown): boolean {
  if (!m || typeof m !== "object" || Array.isArray(m)) return false;
  for (const [k, v] of Object.entries(m)) {
    if (k === "importance") {
      if (!(Number.isInteger(v) && v >= 1 && v <= 5)) return false;
    } else if (k === "entities") {
      if (!(Array.isArray(v) && v.length <= 20 && v.every((e) => text(e, 256) && e.length > 0))) {
        return false;
      }
    } else if (k !== "source" || !(text(v, 256) && v.length > 0)) return false;
  }
  return true;
}

/**
 * `raw` as the schema would return it when it is plainly valid: only `content`, `tags`,
 * `namespace`, `agent`, `session`, `category`, the `metadata` memman's flags make
 * (`importance`, `entities`, `source`) and `no_reconcile`, each well within the schema's rules (the
 * shapes the CLI builds). Anything else (other fields, nulls, a doubtful value) is null, and
 * the caller validates with `RememberInputSchema`, which accepts or names the problem. So this
 * never accepts what the schema refuses (tests/remember/plain_input_test.ts).
 */
export function plainRememberInput(raw: unknown): RememberInput | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!PLAIN_FIELDS.includes(k)) return null;
  }
  const { content, tags, category, metadata, no_reconcile } = r;
  if (!plainSharedFields(r, (k) => k in r)) return null;
  if ("category" in r && !(CATEGORIES as readonly unknown[]).includes(category)) return null;
  if ("metadata" in r && !plainMetadata(metadata)) return null;
  if ("no_reconcile" in r && typeof no_reconcile !== "boolean") return null;
  // The schema's field order (its output is what the queue row stores).
  const out: Record<string, unknown> = { content };
  for (const k of PLAIN_FIELDS.slice(1)) {
    if (!(k in r)) continue;
    if (k === "tags") out[k] = [...(tags as string[])];
    else if (k === "metadata") out[k] = structuredClone(metadata);
    else out[k] = r[k];
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
  const q = queueRow(config, input, now);
  return resultOf(q, enqueueRememberPayload(store, q.ns, q.payload, q.at), input);
}

/**
 * {@link enqueueValid} with the payload sealed through WebCrypto before the transaction, so
 * the write loads no Node crypto (`remember`'s start-up: docs/benchmarks.md). The row is the
 * same; a rotation by another process in between is followed (sealed again inside).
 */
export async function enqueueValidAsync(
  store: Store,
  config: Config,
  input: RememberInput,
  now: Date = new Date(),
): Promise<RememberResult> {
  const q = queueRow(config, input, now);
  const early = await sealFieldAsync(store.encryption, rememberPayloadRef(q.ns), q.payload);
  return resultOf(q, enqueueRememberPayload(store, q.ns, q.payload, q.at, early), input);
}

/** The queue row of a fact after the configured limits: namespace, payload JSON, time. */
function queueRow(config: Config, input: RememberInput, now: Date) {
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
  // Sealed like memory content (the queue holds the fact until a drain applies it).
  return {
    ns: namespace ?? DEFAULT_NAMESPACE,
    payload: JSON.stringify(payload),
    at: now.toISOString(),
  };
}

function resultOf(
  q: { ns: string; at: string },
  queueId: number,
  input: RememberInput,
): RememberResult {
  return {
    action: "queued",
    queue_id: queueId,
    store: q.ns,
    quality_warnings: qualityWarnings(input.content),
    namespace: q.ns,
    enqueued_at: q.at,
  };
}
