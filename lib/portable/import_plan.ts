/**
 * The passport import plan (memoryOSS §5.2): for each incoming entry, in order, decide
 * merge (same id, same content hash or a structural duplicate of a known memory), conflict
 * (contradicts a known memory) or create. Pure: the text rules are passed in.
 *
 * @module
 */

/** What a plan needs to know about a memory, incoming or already stored. */
export interface PlanMemory {
  id: string;
  content: string;
  content_hash?: string | null;
  archived?: boolean;
  superseded_by?: string | null;
  derived_from?: readonly string[];
  contradicts_with?: readonly string[];
}

/** The text rules the plan applies (the write path's own, passed in). */
export interface PlanRules {
  /** Same statement in other words (memoryOSS `structural_duplicate`). */
  duplicate(a: string, b: string): boolean;
  /** Opposite statements about one subject (memoryOSS `contradiction_signature`). */
  conflicts(a: string, b: string): boolean;
  /**
   * Blocking keys: `duplicate` and `conflicts` are only asked about pairs sharing a key, which
   * keeps large imports near-linear. Must be a key of every pair either rule could accept;
   * a text without keys is compared with everything. Default: compare every pair.
   */
  keys?(content: string): Iterable<string>;
}

/** One planned entry (memoryOSS preview item). */
export interface PlanItem {
  incoming_id: string;
  decision: "create" | "merge" | "conflict";
  reason: string;
  existing_id?: string;
  /** For conflicts: every known memory it contradicts. */
  conflicting_ids?: string[];
  preview: string;
  content_hash?: string;
}

/** `PassportImportPreview`. */
export interface ImportPreview {
  target_namespace: string;
  scope: string;
  integrity_valid: boolean;
  create_count: number;
  merge_count: number;
  conflict_count: number;
  items: PlanItem[];
}

/**
 * memoryOSS preview text: the first 96 characters, then "..." when cut.
 *
 * @example
 * ```ts
 * planPreview("x".repeat(100)).length; // 99
 * ```
 */
export function planPreview(content: string): string {
  const chars = [...content];
  return chars.length > 96 ? chars.slice(0, 96).join("") + "..." : content;
}

/** True when two memories are linked by lineage: merging them would erase history. */
function related(a: PlanMemory, b: PlanMemory): boolean {
  return a.superseded_by === b.id || b.superseded_by === a.id ||
    (a.derived_from ?? []).includes(b.id) || (b.derived_from ?? []).includes(a.id);
}

/** True when the pair already records its contradiction. */
function linked(a: PlanMemory, b: PlanMemory): boolean {
  return (a.contradicts_with ?? []).includes(b.id) || (b.contradicts_with ?? []).includes(a.id);
}

/**
 * Plans an import of `incoming` into a namespace holding `existing`. Entries decided
 * `create` or `conflict` join the known set, so later entries dedup against them.
 *
 * @example
 * ```ts
 * const p = planImport(entries, stored, { targetNamespace: "other", scope: "project",
 *   integrityValid: true, rules: { duplicate: structuralDuplicates, conflicts } });
 * p.create_count;
 * ```
 */
export function planImport(
  incoming: readonly PlanMemory[],
  existing: readonly PlanMemory[],
  o: { targetNamespace: string; scope: string; integrityValid: boolean; rules: PlanRules },
): ImportPreview {
  const known = new KnownSet(o.rules);
  for (const m of existing) known.add(m);
  const items: PlanItem[] = [];
  for (const e of incoming) {
    const base = {
      incoming_id: e.id,
      preview: planPreview(e.content),
      ...(e.content_hash ? { content_hash: e.content_hash } : {}),
    };
    let cached: PlanMemory[] | undefined;
    const near = () => (cached ??= known.near(e.content));
    const merge = mergeTarget(e, known, near, o.rules);
    if (merge) {
      items.push({ ...base, decision: "merge", reason: merge.reason, existing_id: merge.m.id });
      continue;
    }
    const against = e.superseded_by || e.archived
      ? []
      : near().filter((m) =>
        !m.superseded_by && !linked(e, m) && !related(e, m) &&
        o.rules.conflicts(m.content, e.content)
      );
    if (against.length > 0) {
      items.push({
        ...base,
        decision: "conflict",
        reason: "contradicts an existing memory",
        existing_id: against[0].id,
        conflicting_ids: against.map((m) => m.id),
      });
    } else {
      items.push({ ...base, decision: "create", reason: "new memory" });
    }
    known.add(e);
  }
  const count = (d: PlanItem["decision"]) => items.filter((i) => i.decision === d).length;
  return {
    target_namespace: o.targetNamespace,
    scope: o.scope,
    integrity_valid: o.integrityValid,
    create_count: count("create"),
    merge_count: count("merge"),
    conflict_count: count("conflict"),
    items,
  };
}

/** Most known memories the text rules are asked about per incoming entry. */
export const MAX_CANDIDATES = 48;

/** The memories a plan compares against, indexed by id, content hash and blocking key. */
class KnownSet {
  readonly byId = new Map<string, PlanMemory>();
  readonly byHash = new Map<string, PlanMemory[]>();
  #live: PlanMemory[] = [];
  #seq = new Map<PlanMemory, number>();
  #postings = new Map<string, PlanMemory[]>();
  #keyless: PlanMemory[] = [];
  #keyCount = new Map<PlanMemory, number>();
  #keys?: (content: string) => Iterable<string>;

  constructor(rules: PlanRules) {
    this.#keys = rules.keys?.bind(rules);
  }

  add(m: PlanMemory): void {
    this.byId.set(m.id, m);
    if (m.archived) return;
    this.#seq.set(m, this.#live.length);
    this.#live.push(m);
    if (m.content_hash) {
      const list = this.byHash.get(m.content_hash) ?? [];
      list.push(m);
      this.byHash.set(m.content_hash, list);
    }
    if (!this.#keys) return;
    const keys = new Set(this.#keys(m.content));
    this.#keyCount.set(m, keys.size);
    if (keys.size === 0) this.#keyless.push(m);
    for (const k of keys) {
      const list = this.#postings.get(k) ?? [];
      list.push(m);
      this.#postings.set(k, list);
    }
  }

  /**
   * Live memories that may match `content`, in the order they were added: those sharing at
   * least min(3, either side's key count) blocking keys (every contradiction shares three
   * core tokens; equal texts share all their keys), and of those only the
   * {@link MAX_CANDIDATES} with the most overlap (duplicates and contradictions overlap
   * almost fully), so a namespace of look-alike memories does not make an import quadratic.
   */
  near(content: string): PlanMemory[] {
    if (!this.#keys) return this.#live;
    const keys = new Set(this.#keys(content));
    if (keys.size === 0) return this.#live;
    const shared = new Map<PlanMemory, number>();
    for (const k of keys) {
      for (const m of this.#postings.get(k) ?? []) shared.set(m, (shared.get(m) ?? 0) + 1);
    }
    const scored: { m: PlanMemory; overlap: number }[] = [];
    for (const [m, n] of shared) {
      const theirs = this.#keyCount.get(m)!;
      if (n >= Math.min(3, keys.size, theirs)) {
        scored.push({ m, overlap: n / (keys.size + theirs - n) });
      }
    }
    if (scored.length > MAX_CANDIDATES) {
      scored.sort((a, b) => b.overlap - a.overlap || this.#seq.get(a.m)! - this.#seq.get(b.m)!);
      scored.length = MAX_CANDIDATES;
    }
    const out = [...this.#keyless, ...scored.map((s) => s.m)];
    return out.sort((a, b) => this.#seq.get(a)! - this.#seq.get(b)!);
  }
}

function mergeTarget(
  e: PlanMemory,
  known: KnownSet,
  near: () => PlanMemory[],
  rules: PlanRules,
): { m: PlanMemory; reason: string } | null {
  const same = known.byId.get(e.id);
  if (same) return { m: same, reason: "same id" };
  if (e.content_hash) {
    const m = known.byHash.get(e.content_hash)?.find((x) => !related(e, x));
    if (m) return { m, reason: "same content_hash" };
  }
  const dup = near().find((x) => !related(e, x) && rules.duplicate(x.content, e.content));
  return dup ? { m: dup, reason: "structural duplicate" } : null;
}
