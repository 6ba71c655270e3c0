/**
 * Passports (`memoryoss.passport.v1alpha1`, memoryOSS §5.2) built from and read back into
 * memory records. Pure: records, ids and clocks are passed in.
 *
 * Records carry two fields PassportEntry lacks (`category`, `metadata`). They travel in the
 * top-level additive field {@link EXTRAS_FIELD}: outside the passport hash (so the memoryOSS
 * Rust runtime, which re-serialises entries through its struct, still accepts the passport)
 * but inside a bundle envelope's hash. Additive fields of an imported passport (a newer
 * producer's) are kept with each memory and written back on export (see `additive.ts`).
 *
 * @module
 */
import { CATEGORIES, type Category, type MemoryRecord, newRecord } from "../store/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import {
  ADDITIVE_KEY,
  type AdditiveFields,
  attachAdditive,
  EXTRAS_FIELD,
  readAdditive,
  withoutAdditive,
} from "./additive.ts";
import { type HashedKind, payloadSha256 } from "./integrity.ts";
import { fromPlain, isJsonObject, type JsonObject, type JsonValue, toPlain } from "./json.ts";
import { chronoJsonTimestamp } from "./rust_format.ts";
import {
  PASSPORT_VERSION,
  PassportBundle,
  type PassportEntry,
  type RuntimeExportMetadata,
  TeamGovernance,
} from "./schemas.ts";
import { passportTree } from "./typed.ts";

/** Passport scopes (§5.2). */
export const PASSPORT_SCOPES = ["all", "personal", "project", "team"] as const;
export type PassportScope = typeof PASSPORT_SCOPES[number];

export { EXTRAS_FIELD };

const PERSONAL = new Set([
  "preference",
  "user-preference",
  "display",
  "verbosity",
  "style",
  "personal",
]);
const TEAM = new Set(["team", "policy", "shared", "security", "review", "runbook", "compliance"]);
const PROJECT = new Set([
  "decision",
  "incident",
  "project",
  "rule",
  "deploy",
  "bugfix",
  "constraint",
]);

/** Per-record fields kept beside a PassportEntry. */
export interface RecordExtras {
  category: Category | null;
  metadata: Record<string, unknown>;
  /** Unknown fields of the entry and of its document, kept to be written back on export. */
  additive?: AdditiveFields;
}

/**
 * Whether a record belongs to a passport scope (archived records never do). Tags match
 * case-insensitively.
 *
 * @example
 * ```ts
 * inPassportScope({ tags: ["Deploy"], agent: null, session: null, archived: false }, "project"); // true
 * ```
 */
export function inPassportScope(
  r: Pick<MemoryRecord, "tags" | "agent" | "session" | "archived">,
  scope: PassportScope,
): boolean {
  if (r.archived) return false;
  if (scope === "all") return true;
  const tags = r.tags.map((t) => t.toLowerCase());
  const has = (set: Set<string>) => tags.some((t) => set.has(t));
  const personal = r.agent !== null || r.session !== null || has(PERSONAL);
  const team = has(TEAM);
  if (scope === "personal") return personal;
  if (scope === "team") return team;
  return (!personal && !team) || has(PROJECT);
}

/**
 * A record as a PassportEntry (plain, zod-typed): no embedding, no outcome counters.
 *
 * @example
 * ```ts
 * entryFromRecord(record).original_namespace; // record.namespace
 * ```
 */
export function entryFromRecord(r: MemoryRecord): PassportEntry {
  return {
    id: r.id,
    content: r.content,
    tags: [...r.tags],
    agent: r.agent,
    session: r.session,
    original_namespace: r.namespace,
    memory_type: r.memory_type,
    status: r.status,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
    source_key_id: r.source_key,
    content_hash: r.content_hash,
    archived: r.archived,
    confidence: r.confidence,
    evidence_count: r.evidence_count,
    last_verified_at: r.last_verified_at,
    superseded_by: r.superseded_by,
    derived_from: [...r.derived_from],
    contradicts_with: [...r.contradicts_with],
    review_events: r.review_events.map((e) => ({
      at: e.at,
      actor: e.actor,
      action: e.action,
      via: e.via,
      queue_kind: (e.queue_kind ?? null) as PassportEntry["review_events"][number]["queue_kind"],
      superseded_by: e.superseded_by ?? null,
    })),
    team_governance: governanceOf(r.metadata),
  };
}

/**
 * Team governance has no column of its own: it is kept in `metadata.team_governance` and
 * written back to the entry when it is still a valid block.
 */
function governanceOf(metadata: Record<string, unknown>): TeamGovernance | null {
  const r = TeamGovernance.safeParse(metadata.team_governance);
  return r.success ? r.data : null;
}

/**
 * Orders records the way every artifact lists them: created_at, then id.
 *
 * @example
 * ```ts
 * records.sort(byCreation);
 * ```
 */
export function byCreation<T extends { created_at: string; id: string }>(a: T, b: T): number {
  const d = Date.parse(a.created_at) - Date.parse(b.created_at);
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The extras block for records that have a category or metadata, or undefined.
 *
 * @example
 * ```ts
 * extrasTree(records)?.get("records"); // Map of id → {category, metadata}
 * ```
 */
export function extrasTree(records: MemoryRecord[]): JsonObject | undefined {
  const out: Record<string, RecordExtras> = {};
  for (const r of records) {
    const metadata = withoutAdditive(r.metadata);
    if (r.category !== null || Object.keys(metadata).length > 0) {
      out[r.id] = { category: r.category, metadata };
    }
  }
  if (Object.keys(out).length === 0) return undefined;
  return fromPlain({ records: out }) as JsonObject;
}

/** Options for {@link buildPassport}. */
export interface BuildPassportOptions {
  namespace: string;
  scope: PassportScope;
  passportId: string;
  exportedAt: Date;
  contract: RuntimeExportMetadata;
}

/**
 * A passport tree in the Rust typed form with its integrity hash set. Archived records and
 * those outside the scope are left out; entries are ordered by creation. Additive fields kept
 * from an imported passport are written back (entry fields inside the hash).
 *
 * @example
 * ```ts
 * const tree = buildPassport(records, { namespace: "proj", scope: "project", passportId,
 *   exportedAt: new Date(), contract: contractExportMetadata() });
 * verify(tree).ok; // true
 * ```
 */
export function buildPassport(records: MemoryRecord[], o: BuildPassportOptions): JsonObject {
  const chosen = records.filter((r) => inPassportScope(r, o.scope)).sort(byCreation);
  const keys = [...new Set(chosen.map((r) => r.source_key).filter((k): k is string => !!k))]
    .sort();
  const plain = {
    bundle_version: PASSPORT_VERSION,
    passport_id: o.passportId,
    runtime_contract: o.contract,
    scope: o.scope,
    namespace: o.namespace,
    exported_at: chronoJsonTimestamp(o.exportedAt),
    provenance: { exported_from_namespace: o.namespace, source_key_ids: keys },
    integrity: { algorithm: "sha256", payload_sha256: "", signed: false },
    memories: chosen.map(entryFromRecord),
  };
  return finishBundleTree(passportTree(PassportBundle.parse(plain)), chosen, "passport");
}

/**
 * The last steps of building a passport or history tree from `records`: their kept additive
 * fields written back (inside the hash), the integrity hash set, then their category and
 * metadata in {@link EXTRAS_FIELD} (outside it). Returns `tree`, changed in place.
 */
export function finishBundleTree(
  tree: JsonObject,
  records: MemoryRecord[],
  kind: HashedKind,
): JsonObject {
  attachAdditive(tree, records, kind);
  (tree.get("integrity") as JsonObject).set("payload_sha256", payloadSha256(kind, tree));
  const extras = extrasTree(records);
  if (extras) tree.set(EXTRAS_FIELD, extras);
  return tree;
}

/**
 * The typed passport and its extras from a tree (no integrity check; call `verify` first).
 * Throws INVALID_INPUT naming the first bad field.
 *
 * @example
 * ```ts
 * const { passport, extras } = readPassport(parseJson(text));
 * ```
 */
export function readPassport(
  tree: JsonValue,
): { passport: PassportBundle; extras: Map<string, RecordExtras> } {
  const r = PassportBundle.safeParse(toPlain(tree));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MemoryossError(
      "INVALID_INPUT",
      `not a valid passport: ${issue.path.join(".")}: ${issue.message}`,
    );
  }
  return { passport: r.data, extras: readExtras(tree) };
}

/**
 * The extras of a passport or history tree, keyed by lowercase memory id: the
 * {@link EXTRAS_FIELD} block (malformed entries are ignored: it is additive and outside the
 * passport hash) and the additive fields of each entry and of the document.
 *
 * @example
 * ```ts
 * readExtras(tree).get(id)?.category; // "decision"
 * ```
 */
export function readExtras(tree: JsonValue): Map<string, RecordExtras> {
  const out = new Map<string, RecordExtras>();
  for (const [id, additive] of readAdditive(tree)) {
    out.set(id, { category: null, metadata: {}, additive });
  }
  const block = isJsonObject(tree) ? tree.get(EXTRAS_FIELD) : undefined;
  const records = isJsonObject(block) ? block.get("records") : undefined;
  if (!isJsonObject(records)) return out;
  for (const [rawId, v] of records) {
    const id = rawId.toLowerCase();
    const plain = toPlain(v) as { category?: unknown; metadata?: unknown } | null;
    if (!plain || typeof plain !== "object") continue;
    const category = (CATEGORIES as readonly unknown[]).includes(plain.category)
      ? plain.category as Category
      : null;
    const metadata = plain.metadata && typeof plain.metadata === "object" &&
        !Array.isArray(plain.metadata)
      ? plain.metadata as Record<string, unknown>
      : {};
    out.set(id, { ...out.get(id), category, metadata });
  }
  return out;
}

/**
 * An RFC 3339 timestamp in the store's form (`toISOString`, millisecond precision).
 *
 * @example
 * ```ts
 * storeTimestamp("2026-03-13T09:00:00Z"); // "2026-03-13T09:00:00.000Z"
 * ```
 */
export function storeTimestamp(ts: string): string {
  // Date.parse handles at most milliseconds reliably; drop extra fraction digits first.
  const trimmed = ts.replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw new MemoryossError("INVALID_INPUT", `bad timestamp ${ts}`);
  return new Date(ms).toISOString();
}

/**
 * A record from a PassportEntry, in `namespace`. Identity, status, version, timestamps and
 * lineage are kept; outcome counters start at zero (§5.2).
 *
 * @example
 * ```ts
 * const r = recordFromEntry(passport.memories[0], "other", extras.get(id));
 * ```
 */
export function recordFromEntry(
  e: PassportEntry,
  namespace: string,
  extras?: RecordExtras,
): MemoryRecord {
  const opt = (ts: string | null | undefined) => (ts ? storeTimestamp(ts) : null);
  return newRecord({
    id: e.id.toLowerCase(),
    content: e.content,
    namespace,
    created_at: storeTimestamp(e.created_at),
    updated_at: storeTimestamp(e.updated_at),
    tags: [...e.tags],
    agent: e.agent ?? null,
    session: e.session ?? null,
    memory_type: e.memory_type,
    status: e.status,
    version: e.version,
    source_key: e.source_key_id ?? null,
    content_hash: e.content_hash ?? null,
    archived: e.archived,
    confidence: e.confidence ?? null,
    evidence_count: e.evidence_count,
    last_verified_at: opt(e.last_verified_at),
    superseded_by: e.superseded_by?.toLowerCase() ?? null,
    derived_from: e.derived_from.map((x) => x.toLowerCase()),
    contradicts_with: e.contradicts_with.map((x) => x.toLowerCase()),
    review_events: e.review_events.map((ev) => ({
      at: storeTimestamp(ev.at),
      actor: ev.actor,
      action: ev.action,
      via: ev.via,
      ...(ev.queue_kind ? { queue_kind: ev.queue_kind } : {}),
      ...(ev.superseded_by ? { superseded_by: ev.superseded_by.toLowerCase() } : {}),
    })),
    category: extras?.category ?? null,
    metadata: entryMetadata(e, extras),
  });
}

/**
 * A record's metadata from its extras, its entry's team governance and the additive fields
 * it arrived with (the additive block is always the entry's own, never a copied one).
 */
function entryMetadata(e: PassportEntry, extras?: RecordExtras): Record<string, unknown> {
  const metadata = withoutAdditive(extras?.metadata ?? {});
  const out = e.team_governance ? { ...metadata, team_governance: e.team_governance } : metadata;
  return extras?.additive ? { ...out, [ADDITIVE_KEY]: extras.additive } : out;
}
