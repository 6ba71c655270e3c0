/**
 * memoryOSS's `memoryoss.toml` read as is (memoryOSS spec §7.1). Keys both tools spell the
 * same pass through untouched. The rest are either moved to our spelling (`storage.data_dir`
 * → `storage.path`, …) or dropped with a note saying why they have no effect here; a key
 * whose value asks for what memoryoss does anyway (`decay.enabled = false`) is dropped quietly.
 * `[tls]` and `[sharing]` are ours too (same spelling, the sharing caps included); only
 * `tls.client_ca_path` is dropped.
 * Anything else stays for the strict schema, which names it as an unknown key.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";

/** What happened to one memoryOSS key. */
export interface CompatNote {
  /** The key as the user wrote it, e.g. `tls.enabled`. */
  key: string;
  /** mapped: moved to `to`; ignored: no effect (warned); matches: memoryoss does this anyway. */
  kind: "mapped" | "ignored" | "matches";
  to?: string;
  why?: string;
}

type Table = Record<string, unknown>;
type Outcome = { to: string } | { why: string } | { matches: true } | null;
interface Rule {
  type: z.ZodType;
  /** `out` is the config being rewritten, `section` the key's section as the user wrote it. */
  apply(value: unknown, out: Table, section: Table): Outcome;
}

const isTable = (v: unknown): v is Table =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);

function setPath(out: Table, path: string, value: unknown): void {
  const parts = path.split(".");
  let t = out;
  for (const p of parts.slice(0, -1)) {
    if (!isTable(t[p])) t[p] = {};
    t = t[p] as Table;
  }
  t[parts.at(-1)!] = value;
}

function hasPath(t: Table, path: string): boolean {
  const [sec, key] = path.split(".");
  return isTable(t[sec]) && key in (t[sec] as Table);
}

/** Warn unless `quiet` says the value asks for what memoryoss already does. */
const ignore = (type: z.ZodType, why: string, quiet?: (v: unknown, s: Table) => boolean): Rule => ({
  type,
  apply: (v, _out, s) => quiet?.(v, s) ? { matches: true } : { why },
});

/** Move to `target` in our spelling, unless the user also set `target` there. */
const moveTo = (type: z.ZodType, target: string, convert = (v: unknown) => v): Rule => ({
  type,
  apply: (v, out) => {
    if (hasPath(out, target)) return { why: `no effect: ${target} is set and wins` };
    setPath(out, target, convert(v));
    return { to: target };
  },
});

const bool = z.boolean();
const str = z.string();
const num = z.number();
const int = z.number().int().min(0);

const HYBRID = "no effect: memoryoss serves the API and the proxy from one process on server.port";
const MTLS = "no effect: memoryoss does not verify client certificates (no mTLS); any " +
  "client that trusts the server certificate can connect. Keep server.host on loopback or " +
  "put a proxy that checks client certificates in front";
const TLS_OFF = (_v: unknown, s: Table) => s.enabled !== true;
const TLS_UNSET = "no effect: tls.enabled is not set, and memoryoss then serves plain HTTP " +
  "(memoryOSS would serve HTTPS); set tls.enabled = true (or false to silence this)";
/** Ours as spelled; without effect (warned) only when `enabled` is absent from the section. */
const tlsKey = (type: z.ZodType, key: string): Rule => ({
  type,
  apply: (v, out, s) => {
    setPath(out, key, v);
    return "enabled" in s ? null : { why: TLS_UNSET };
  },
});
const DECOMPOSE = "no effect: memoryoss does not decompose queries with an LLM";
const NO_DECOMPOSE = (_v: unknown, s: Table) => !s.provider;
const KMS = "no effect: only memoryOSS's aws_kms provider reads it, and memoryoss (like " +
  "memoryOSS) does not support aws_kms";
const DECAY = "no effect: memoryoss decays by importance half-life ([lifecycle] " +
  "half_life_days) when `memoryoss decay` runs, not by age";
const CONSOLIDATE = "no effect: memoryoss consolidates on request (POST /v1/consolidate), " +
  "not on a timer";
const NOT_ENABLED = (_v: unknown, s: Table) => s.enabled !== true;
const EXTRACT = "no effect: the proxy extracts facts with memoryoss's local heuristic, no LLM call";
const EXTRACTION_OFF = (_v: unknown, s: Table) => s.extraction_enabled === false;
const SETUP = "no effect: memoryoss setup takes the profile and team as options " +
  "(memoryoss setup --help)";
const EMBED_CACHE = "no effect: memoryoss has no query-embedding cache to tune";
const GROUP_COMMIT = "no effect: memoryoss commits writes through its SQLite write queue";
const INTENT_CACHE = "no effect: memoryoss caches no recall results";

/** Every memoryOSS key memoryoss does not spell the same way, with what becomes of it. */
const RULES: Record<string, Rule> = {
  "server.hybrid_mode": ignore(bool, HYBRID, (v) => v === false),
  "server.core_port": ignore(int, HYBRID, (_v, s) => s.hybrid_mode !== true),
  "tls.auto_generate": tlsKey(bool, "tls.auto_generate"),
  "tls.cert_path": tlsKey(str, "tls.cert_path"),
  "tls.key_path": tlsKey(str, "tls.key_path"),
  "tls.client_ca_path": ignore(str, MTLS, TLS_OFF),
  "storage.data_dir": moveTo(
    z.string().min(1),
    "storage.path",
    (v) => join(v as string, "memoryoss.db"),
  ),
  "embeddings.model": {
    type: str,
    apply: (v, out, s) => {
      if (["openai", "voyage", "ollama"].includes(s.provider as string) || v === "") {
        setPath(out, "embeddings.model", v);
        return null;
      }
      return {
        why: 'no effect: embeddings.provider = "builtin" embeds offline with its own model; ' +
          'provider = "openai" uses a model from an OpenAI-compatible endpoint',
      };
    },
  },
  "logging.level": {
    type: z.unknown(),
    apply: (v, out) => {
      // memoryOSS's `trace` is our most verbose level.
      setPath(out, "logging.level", v === "trace" ? "debug" : v);
      return v === "trace" ? { to: 'logging.level = "debug"' } : null;
    },
  },
  "limits.embedding_cache_ttl_secs": ignore(int, EMBED_CACHE),
  "limits.embedding_cache_max_size": ignore(int, EMBED_CACHE),
  "limits.group_commit_batch_size": ignore(int, GROUP_COMMIT),
  "limits.group_commit_flush_ms": ignore(int, GROUP_COMMIT),
  "limits.intent_cache_ttl_secs": ignore(int, INTENT_CACHE),
  "limits.intent_cache_max_entries": ignore(int, INTENT_CACHE),
  "decompose.provider": ignore(str, DECOMPOSE, NO_DECOMPOSE),
  "decompose.api_key": ignore(str, DECOMPOSE, NO_DECOMPOSE),
  "decompose.model": ignore(str, DECOMPOSE, NO_DECOMPOSE),
  "decompose.endpoint": ignore(str, DECOMPOSE, NO_DECOMPOSE),
  "decompose.token_budget": ignore(int, DECOMPOSE, NO_DECOMPOSE),
  "encryption.key_id": ignore(str, KMS, (_v, s) => s.provider !== "aws_kms"),
  "encryption.region": ignore(str, KMS, (_v, s) => s.provider !== "aws_kms"),
  "encryption.grace_period_secs": ignore(
    int,
    "no effect: a rotated encryption key stays in memoryoss.keyring until no memory uses it",
  ),
  "trust.threshold": ignore(
    num,
    "no effect: the low-trust threshold is fixed at 0.3",
    (v) => v === 0.3,
  ),
  "trust.semantic_dedup_threshold": moveTo(num, "recall.semantic_dedup_threshold"),
  "trust.ip_allowlists": ignore(
    z.record(z.string(), z.array(z.string())),
    "no effect: memoryoss has no per-namespace IP allowlists; keep server.host on loopback " +
      "or filter in front",
    (v) => Object.keys(v as Table).length === 0,
  ),
  "decay.enabled": ignore(bool, DECAY, (v) => v === false),
  "decay.strategy": ignore(str, DECAY),
  "decay.after_days": ignore(int, DECAY),
  "consolidation.enabled": ignore(bool, CONSOLIDATE, (v) => v === false),
  "consolidation.interval_minutes": ignore(int, CONSOLIDATE, NOT_ENABLED),
  "consolidation.threshold": ignore(num, CONSOLIDATE, NOT_ENABLED),
  "consolidation.max_clusters": ignore(int, CONSOLIDATE, NOT_ENABLED),
  "proxy.extract_provider": ignore(str, EXTRACT, EXTRACTION_OFF),
  "proxy.extract_model": ignore(str, EXTRACT, EXTRACTION_OFF),
  "proxy.extract_api_key": ignore(str, EXTRACT, EXTRACTION_OFF),
  "proxy.privacy_mode": ignore(
    bool,
    "no effect: the proxy never logs prompts or answers",
    (v) => v === true,
  ),
  "proxy.identifier_first_routing": ignore(
    bool,
    "no effect: recall always routes by identifiers first",
    (v) => v === true,
  ),
  "proxy.primitive_algebra": ignore(
    bool,
    "no effect: memoryoss has no primitive-algebra scoring",
    (v) => v === false,
  ),
  "proxy.memory_coprocessor": ignore(
    z.enum(["off", "local_heuristic"]),
    "no effect: the proxy always extracts with its local heuristic " +
      "(proxy.extraction_enabled = false turns extraction off)",
    (v) => v === "local_heuristic",
  ),
  "setup.profile": ignore(str, SETUP),
  "setup.team_id": ignore(str, SETUP),
  "setup.team_label": ignore(str, SETUP),
  "setup.team_catalog_id": ignore(str, SETUP),
  "setup.team_manifest_path": ignore(str, SETUP),
};

/** Sections only memoryOSS has; they are gone once their keys are read. */
const MEMORYOSS_ONLY = ["decompose", "trust", "decay", "consolidation", "setup"];

/** Every memoryOSS key handled here (for docs and tests). */
export const MEMORYOSS_ONLY_KEYS: readonly string[] = Object.keys(RULES);

/**
 * Rewrite a parsed config from memoryOSS's spelling into ours. The input is not changed.
 * Throws INVALID_CONFIG naming the key for a value of the wrong type, or for an unknown key
 * in a memoryOSS-only section.
 *
 * @example
 * ```ts
 * fromMemoryossSpelling({ storage: { data_dir: "data" } }, "x.toml").raw;
 * // { storage: { path: "data/memoryoss.db" } }
 * ```
 */
export function fromMemoryossSpelling(
  raw: unknown,
  source: string,
): { raw: unknown; notes: CompatNote[] } {
  if (!isTable(raw)) return { raw, notes: [] };
  const out = copy(raw) as Table;
  const notes: CompatNote[] = [];
  const bad = (key: string, message: string) =>
    new MemoryossError("INVALID_CONFIG", `${source}: ${key}: ${message}`, key.split("."));
  for (const [key, rule] of Object.entries(RULES)) {
    const [sec, name] = key.split(".");
    const section = raw[sec];
    if (!isTable(section) || !(name in section)) continue;
    const value = section[name];
    const parsed = rule.type.safeParse(value);
    if (!parsed.success) throw bad(key, parsed.error.issues[0].message);
    delete (out[sec] as Table)[name];
    const r = rule.apply(parsed.data, out, section);
    if (r === null) continue;
    if ("to" in r) notes.push({ key, kind: "mapped", to: r.to });
    else if ("why" in r) notes.push({ key, kind: "ignored", why: r.why });
    else notes.push({ key, kind: "matches" });
  }
  for (const sec of MEMORYOSS_ONLY) {
    if (!(sec in out)) continue;
    if (!isTable(out[sec])) throw bad(sec, "expected a table");
    const left = Object.keys(out[sec] as Table);
    if (left.length) throw bad(`${sec}.${left[0]}`, "unknown key");
    delete out[sec];
  }
  for (const [sec, t] of Object.entries(out)) {
    // A section left empty only by moved keys (e.g. [storage] data_dir) is dropped.
    if (
      isTable(t) && Object.keys(t).length === 0 && isTable(raw[sec]) &&
      Object.keys(raw[sec] as Table).length
    ) {
      delete out[sec];
    }
  }
  return { raw: out, notes };
}

/** The warning line for an ignored key. */
export function warningLine(n: CompatNote): string {
  return `warning: ${n.key}: ${n.why}`;
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (isTable(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  return v;
}
