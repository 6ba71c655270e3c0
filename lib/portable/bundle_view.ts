/**
 * Read-only views of any artifact (envelope, passport or history): the memoryOSS bundle
 * preview and diff, plus a per-memory diff for the reader. Never throws on hostile input.
 *
 * @module
 */
import { bundleReference } from "./integrity.ts";
import { isJsonObject, type JsonObject, type JsonValue, toPlain } from "./json.ts";
import { detectKind, verify, type VerifyResult } from "./verify.ts";

/** One memory as the reader shows it. */
export interface MemorySummary {
  id: string;
  content: string;
  tags: string[];
  status: string;
  memory_type: string;
  archived: boolean;
  created_at: string;
  updated_at: string;
  superseded_by: string | null;
}

/** memoryOSS bundle preview, for an envelope or a bare passport/history. */
export interface ArtifactPreview {
  bundle_id: string | null;
  bundle_version: string | null;
  kind: string;
  namespace: string | null;
  scope: string | null;
  runtime_contract_id: string | null;
  uri: string | null;
  attachment_name: string | null;
  memory_count: number;
  visible_count: number;
  root_id?: string;
  integrity_valid: boolean;
  nested_integrity_valid: boolean;
  preview: string[];
}

const str = (v: JsonValue | undefined): string | null => (typeof v === "string" ? v : null);

/**
 * The payload of an envelope, else the artifact itself.
 *
 * @example
 * ```ts
 * detectKind(innerArtifact(envelope)); // "passport"
 * ```
 */
export function innerArtifact(tree: JsonValue): JsonValue {
  if (detectKind(tree) === "bundle" && isJsonObject(tree)) return tree.get("payload") ?? null;
  return tree;
}

/**
 * The memories of an artifact, skipping malformed entries.
 *
 * @example
 * ```ts
 * artifactMemories(parseJson(passportText)).length; // 2
 * ```
 */
export function artifactMemories(tree: JsonValue): MemorySummary[] {
  const inner = innerArtifact(tree);
  const list = isJsonObject(inner) ? inner.get("memories") : undefined;
  if (!Array.isArray(list)) return [];
  const out: MemorySummary[] = [];
  for (const item of list) {
    if (!isJsonObject(item)) continue;
    const p = toPlain(item) as Record<string, unknown>;
    if (typeof p.id !== "string" || typeof p.content !== "string") continue;
    const s = (v: unknown, d = "") => (typeof v === "string" ? v : d);
    out.push({
      id: p.id,
      content: p.content,
      tags: Array.isArray(p.tags) ? p.tags.filter((t): t is string => typeof t === "string") : [],
      status: s(p.status),
      memory_type: s(p.memory_type),
      archived: p.archived === true,
      created_at: s(p.created_at),
      updated_at: s(p.updated_at),
      superseded_by: typeof p.superseded_by === "string" ? p.superseded_by : null,
    });
  }
  return out;
}

const cut = (s: string, n: number) => {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n).join("") + "..." : s;
};

/**
 * The memoryOSS preview of an artifact (`bundle preview`).
 *
 * @example
 * ```ts
 * previewArtifact(parseJson(envelopeText)).integrity_valid; // true
 * ```
 */
export function previewArtifact(tree: JsonValue, checked?: VerifyResult): ArtifactPreview {
  const v = checked ?? verify(tree);
  const envelope = v.kind === "bundle" && isJsonObject(tree) ? tree : null;
  const inner = innerArtifact(tree);
  const p: JsonObject = isJsonObject(inner) ? inner : new Map();
  const kind = envelope ? str(envelope.get("kind")) ?? "bundle" : v.kind;
  const memories = artifactMemories(tree);
  const visible = memories.filter((m) => !m.archived);
  const rc = p.get("runtime_contract");
  const id = str(p.get("passport_id")) ?? str(p.get("history_id"));
  const namespace = str(p.get("namespace"));
  const scope = str(p.get("scope"));
  let ref: { uri: string | null; attachment_name: string | null } = {
    uri: null,
    attachment_name: null,
  };
  const refBlock = envelope?.get("reference");
  if (isJsonObject(refBlock)) {
    ref = { uri: str(refBlock.get("uri")), attachment_name: str(refBlock.get("attachment_name")) };
  } else if (id && namespace && (kind === "passport" || kind === "history")) {
    ref = bundleReference(kind, id, namespace, scope);
  }
  const envelopeHashOk = envelope
    ? v.integrity !== undefined && v.integrity.stored === v.integrity.computed
    : v.ok;
  const root = str(p.get("root_id"));
  return {
    bundle_id: envelope ? str(envelope.get("bundle_id")) : id,
    bundle_version: envelope ? str(envelope.get("bundle_version")) : str(p.get("bundle_version")),
    kind,
    namespace: envelope ? str(envelope.get("namespace")) : namespace,
    scope: envelope ? str(envelope.get("scope") ?? null) : scope,
    runtime_contract_id: envelope
      ? str(envelope.get("runtime_contract_id"))
      : isJsonObject(rc)
      ? str(rc.get("contract_id"))
      : str(p.get("contract_id")),
    ...ref,
    memory_count: memories.length,
    visible_count: visible.length,
    ...(root ? { root_id: root } : {}),
    integrity_valid: envelopeHashOk,
    nested_integrity_valid: envelope ? v.nested?.ok ?? false : v.ok,
    preview: visible.slice(0, 5).map((m) => cut(m.content, 100)),
  };
}

/** A memory present on both sides whose fields differ. */
export interface ChangedMemory {
  id: string;
  fields: string[];
  left: MemorySummary;
  right: MemorySummary;
}

/** memoryOSS bundle diff plus the reader's per-memory detail (`memories`). */
export interface ArtifactDiff {
  same_kind: boolean;
  left: ArtifactPreview;
  right: ArtifactPreview;
  changed_fields: string[];
  added_preview: string[];
  removed_preview: string[];
  shared_preview_count: number;
  memories: { added: MemorySummary[]; removed: MemorySummary[]; changed: ChangedMemory[] };
}

const DIFF_FIELDS = [
  "kind",
  "namespace",
  "scope",
  "runtime_contract_id",
  "memory_count",
  "visible_count",
] as const;
const MEMORY_FIELDS = [
  "content",
  "tags",
  "status",
  "memory_type",
  "archived",
  "superseded_by",
  "updated_at",
] as const;

/**
 * Compares two artifacts (`bundle diff`, `reader diff`): header fields, contents added or
 * removed (set difference, at most 5 previews each) and memories by id.
 *
 * @example
 * ```ts
 * diffArtifacts(parseJson(oldText), parseJson(newText)).added_preview;
 * ```
 */
export function diffArtifacts(left: JsonValue, right: JsonValue): ArtifactDiff {
  const l = previewArtifact(left);
  const r = previewArtifact(right);
  const lm = artifactMemories(left);
  const rm = artifactMemories(right);
  const lc = new Set(lm.map((m) => m.content));
  const rc = new Set(rm.map((m) => m.content));
  const added = [...rc].filter((c) => !lc.has(c));
  const removed = [...lc].filter((c) => !rc.has(c));
  const lById = new Map(lm.map((m) => [m.id.toLowerCase(), m]));
  const rById = new Map(rm.map((m) => [m.id.toLowerCase(), m]));
  const changed: ChangedMemory[] = [];
  for (const [id, a] of lById) {
    const b = rById.get(id);
    if (!b) continue;
    const fields = MEMORY_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    if (fields.length) changed.push({ id, fields: [...fields], left: a, right: b });
  }
  return {
    same_kind: l.kind === r.kind,
    left: l,
    right: r,
    changed_fields: DIFF_FIELDS.filter((f) => l[f] !== r[f]),
    added_preview: added.slice(0, 5).map((c) => cut(c, 100)),
    removed_preview: removed.slice(0, 5).map((c) => cut(c, 100)),
    shared_preview_count: [...lc].filter((c) => rc.has(c)).length,
    memories: {
      added: [...rById].filter(([id]) => !lById.has(id)).map(([, m]) => m),
      removed: [...lById].filter(([id]) => !rById.has(id)).map(([, m]) => m),
      changed,
    },
  };
}
