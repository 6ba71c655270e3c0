/**
 * Foreign items as memory records with memoryOSS adapter provenance (§5.6), and the record
 * selection every export uses. Pure apart from hashing.
 *
 * @module
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { sha256Hex } from "../lib/portable/mod.ts";
import {
  type Category,
  contentHash,
  type MemoryRecord,
  type MemoryType,
  newRecord,
  type Status,
  uuidv7,
} from "../lib/store/mod.ts";

/** Adapter kinds. git_history is import-only. */
export const ADAPTER_KINDS = [
  "claude_project",
  "cursor_rules",
  "git_history",
  "claude_memory",
] as const;
export type AdapterKind = typeof ADAPTER_KINDS[number];
export const EXPORT_KINDS = ["claude_project", "cursor_rules", "claude_memory"] as const;
export type ExportKind = typeof EXPORT_KINDS[number];

/** Per-kind defaults: client tag, lifecycle status, memory type, extra tags. */
export const KIND_DEFAULTS: Record<
  AdapterKind,
  { client: string; status: Status; memory_type: MemoryType; tags: string[] }
> = {
  claude_project: { client: "claude", status: "active", memory_type: "semantic", tags: [] },
  cursor_rules: { client: "cursor", status: "active", memory_type: "procedural", tags: ["rule"] },
  git_history: {
    client: "git",
    status: "candidate",
    memory_type: "episodic",
    tags: ["git_history"],
  },
  claude_memory: { client: "claude", status: "active", memory_type: "semantic", tags: [] },
};

/**
 * A label as a tag value: lowercase, every run of non-alphanumerics one `-`.
 *
 * @example
 * ```ts
 * sourceRef("CLAUDE.md"); // "claude-md"
 * ```
 */
export function sourceRef(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "") || "source";
}

/**
 * memoryOSS adapter provenance: `adapter:` + the first 16 hex of sha256("<kind>:<label>").
 *
 * @example
 * ```ts
 * adapterSourceKey("cursor_rules", "rules.mdc"); // "adapter:" + 16 hex digits
 * ```
 */
export function adapterSourceKey(kind: AdapterKind, label: string): string {
  return `adapter:${sha256Hex(`${kind}:${label}`).slice(0, 16)}`;
}

/** One normalised foreign item. */
export interface AdapterItem {
  content: string;
  /** Tags beyond the adapter's own (e.g. `git_commit:<sha12>`). */
  tags?: string[];
  /** RFC 3339 creation time (e.g. the commit date); defaults to `now`. */
  created_at?: string;
  memory_type?: MemoryType;
  category?: Category | null;
  metadata?: Record<string, unknown>;
  /** Overrides the source_ref tag (claude_memory: the file). */
  ref?: string;
}

/**
 * Records for items of one artifact: tags `adapter:<kind>`, `client:<c>`, `source_ref:<ref>`
 * plus the kind's own, agent `adapter/<kind>`, session = label, the adapter source key.
 *
 * @example
 * ```ts
 * const rs = await adapterRecords("cursor_rules", "rules.mdc", [{ content: "Use pnpm." }], "ns", now);
 * ```
 */
export async function adapterRecords(
  kind: AdapterKind,
  label: string,
  items: AdapterItem[],
  namespace: string,
  now: Date,
): Promise<MemoryRecord[]> {
  const d = KIND_DEFAULTS[kind];
  const at = now.toISOString();
  const out: MemoryRecord[] = [];
  for (const item of items) {
    const created = item.created_at ? new Date(item.created_at).toISOString() : at;
    out.push(newRecord({
      id: uuidv7(Date.parse(created)),
      content: item.content,
      namespace,
      created_at: created,
      updated_at: at,
      tags: [
        ...new Set([
          `adapter:${kind}`,
          `client:${d.client}`,
          `source_ref:${sourceRef(item.ref ?? label)}`,
          ...d.tags,
          ...(item.tags ?? []),
        ]),
      ],
      agent: `adapter/${kind}`,
      session: label,
      memory_type: item.memory_type ?? d.memory_type,
      status: d.status,
      source_key: adapterSourceKey(kind, label),
      content_hash: await contentHash(item.content),
      last_verified_at: at,
      category: item.category ?? null,
      metadata: item.metadata ?? {},
    }));
  }
  return out;
}

/**
 * Records an export shows: not archived, not contested, one per lowercased content, sorted
 * by created_at then content. NOT_FOUND when none is left.
 *
 * @example
 * ```ts
 * exportableRecords(records, "proj").map((r) => r.content);
 * ```
 */
export function exportableRecords(records: MemoryRecord[], namespace: string): MemoryRecord[] {
  const seen = new Set<string>();
  const out = records
    .filter((r) => !r.archived && r.status !== "contested")
    .sort((a, b) =>
      Date.parse(a.created_at) - Date.parse(b.created_at) ||
      (a.content < b.content ? -1 : a.content > b.content ? 1 : 0)
    )
    .filter((r) => {
      const key = r.content.trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (out.length === 0) {
    throw new MemoryossError("NOT_FOUND", `namespace '${namespace}' has no exportable memories`);
  }
  return out;
}
