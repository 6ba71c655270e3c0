/**
 * Consolidation (memoryOSS §4.7): cluster near-duplicate memories of a namespace and replace
 * each cluster by one derived memory. Sources are kept for lineage: stale, superseded by the
 * derived memory, archived.
 */
import { z } from "zod";
import { cosine } from "../embed/mod.ts";
import {
  contentHash,
  type MemoryRecord,
  newRecord,
  statusBit,
  type StoredMemory,
  uuidv7,
} from "../store/mod.ts";
import { STATUS_FACTOR } from "../recall/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";
import { compareWords } from "./dedup.ts";
import { recordActivity } from "./activity.ts";
import { linkMemories } from "../graph/mod.ts";

export const ConsolidateInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  threshold: z.number().min(0.5).max(1).optional(),
  max_clusters: z.number().int().min(1).max(1000).optional(),
  dry_run: z.boolean().optional(),
  /** How many of the newest eligible memories are compared pairwise (cost grows with n²). */
  scan_limit: z.number().int().min(2).max(10000).optional(),
});
export type ConsolidateInput = z.infer<typeof ConsolidateInputSchema>;

/** Lowercase alphanumeric runs. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Equal when normalized, or the shorter (≥5 tokens) is inside the longer as whole words, or
 * both have ≥6 tokens and Jaccard ≥ 0.92 while no differing word carries a fact of its own
 * (a number, identifier, name or polarity word: dedup.ts).
 */
export function structuralDuplicates(a: string, b: string): boolean {
  const ta = tokens(a);
  const tb = tokens(b);
  const na = ta.join(" ");
  const nb = tb.join(" ");
  if (na === nb) return na.length > 0;
  const [short, long] = ta.length <= tb.length ? [na, nb] : [nb, na];
  // Whole words: "port 80" is not inside "port 8080".
  if (Math.min(ta.length, tb.length) >= 5 && ` ${long} `.includes(` ${short} `)) return true;
  if (ta.length >= 6 && tb.length >= 6) {
    const sa = new Set(ta);
    const sb = new Set(tb);
    let shared = 0;
    for (const t of sa) if (sb.has(t)) shared++;
    return shared / (sa.size + sb.size - shared) >= 0.92 && compareWords(a, b).factWord === null;
  }
  return false;
}

/**
 * Merge two statements: keep the longer when one contains the other, else the union of their
 * sentences when that stays within 240 characters of the longer, else the longer.
 */
export function fuseContents(a: string, b: string): string {
  const longer = a.length >= b.length ? a : b;
  if (a === b || a.includes(b) || b.includes(a)) return longer;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const text of [a, b]) {
    for (const s of text.split(/(?<=[.!?])\s+|\n+/)) {
      const t = s.trim().replace(/[.!?]+$/, "");
      const key = tokens(t).join(" ");
      if (t.length < 3 || seen.has(key)) continue;
      seen.add(key);
      parts.push(t);
    }
  }
  const joined = parts.join(". ") + ".";
  return joined.length <= longer.length + 240 ? joined : longer;
}

function eligible(r: MemoryRecord): boolean {
  return !r.archived && !r.superseded_by && r.status !== "contested" &&
    r.contradicts_with.length === 0;
}

/** Highest status factor, confidence, updated_at, length, tag count, then id. */
function keptOrder(a: MemoryRecord, b: MemoryRecord): number {
  return STATUS_FACTOR[b.status] - STATUS_FACTOR[a.status] ||
    (b.confidence ?? 1) - (a.confidence ?? 1) ||
    b.updated_at.localeCompare(a.updated_at) ||
    b.content.length - a.content.length ||
    b.tags.length - a.tags.length ||
    b.id.localeCompare(a.id);
}

/** One cluster in the result. */
export interface ConsolidationGroup {
  kept: string;
  merged: string[];
  avg_similarity: number;
  derived_id?: string;
  source_ids: string[];
}

const round = (x: number) => Math.round(x * 10000) / 10000;

function leafIds(r: MemoryRecord): string[] {
  return r.derived_from.length ? r.derived_from : [r.id];
}

/** The derived record for a cluster, kept member first. */
function derive(members: MemoryRecord[], now: string, ns: string): MemoryRecord {
  const [kept] = members;
  let content = kept.content;
  for (const m of members.slice(1)) content = fuseContents(content, m.content);
  const sum = (k: keyof MemoryRecord) => members.reduce((n, m) => n + (m[k] as number), 0);
  const latest = (k: keyof MemoryRecord) =>
    members.map((m) => m[k] as string | null).filter((x): x is string => !!x).sort().at(-1) ??
      null;
  return newRecord({
    id: uuidv7(),
    content,
    namespace: ns,
    created_at: latest("created_at")!,
    updated_at: now,
    tags: [...new Set(members.flatMap((m) => m.tags))],
    agent: kept.agent,
    session: null,
    memory_type: kept.memory_type,
    status: kept.status,
    category: kept.category,
    source_key: null,
    confidence: members.every((m) => m.confidence !== null)
      ? Math.max(...members.map((m) => m.confidence!))
      : null,
    evidence_count: sum("evidence_count"),
    injection_count: sum("injection_count"),
    reuse_count: sum("reuse_count"),
    confirm_count: sum("confirm_count"),
    reject_count: sum("reject_count"),
    supersede_count: sum("supersede_count"),
    last_verified_at: latest("last_verified_at"),
    last_injected_at: latest("last_injected_at"),
    last_reused_at: latest("last_reused_at"),
    last_outcome_at: latest("last_outcome_at"),
    derived_from: [...new Set(members.flatMap(leafIds))].sort(),
    metadata: { consolidated_from: members.map((m) => m.id) },
  });
}

type Cluster = { members: StoredMemory[]; sims: number[] };

/**
 * Greedy clusters, oldest first: each unassigned memory gathers every later one that is close
 * (vector similarity at `threshold` with no differing fact word) or a structural duplicate.
 * Members come kept-first ({@link keptOrder}).
 */
function findClusters(rt: Runtime, pool: StoredMemory[], threshold: number, max: number) {
  const vectors = pool.map((m) => rt.index.get(m.pk));
  const assigned = new Set<number>();
  const clusters: Cluster[] = [];
  for (let i = 0; i < pool.length && clusters.length < max; i++) {
    if (assigned.has(i)) continue;
    const members = [pool[i]];
    const sims: number[] = [];
    for (let j = i + 1; j < pool.length; j++) {
      if (assigned.has(j)) continue;
      const vi = vectors[i];
      const vj = vectors[j];
      const sim = vi && vj ? cosine(vi, vj) : 0;
      const [ci, cj] = [pool[i].record.content, pool[j].record.content];
      // Close vectors alone do not make "port 8080" and "port 8081" one memory.
      const close = sim >= threshold && compareWords(ci, cj).factWord === null;
      if (close || structuralDuplicates(ci, cj)) {
        members.push(pool[j]);
        sims.push(Math.max(sim, 0));
        assigned.add(j);
      }
    }
    if (members.length >= 2) {
      assigned.add(i);
      members.sort((a, b) => keptOrder(a.record, b.record));
      clusters.push({ members, sims });
    }
  }
  return clusters;
}

/** What one cluster's sources and derived memory are to be written as. */
interface ClusterWrite {
  rt: Runtime;
  ns: string;
  now: string;
  actor: string | null;
  /** Graph index for semantic edges (only when there are few clusters). */
  index: Runtime["index"] | undefined;
}

/**
 * Inside the transaction: write the derived memory and retire the sources, unless another
 * process changed a source meanwhile (then the cluster is skipped). True when written.
 */
function writeCluster(
  w: ClusterWrite,
  c: Cluster,
  derived: MemoryRecord,
  vec: Float32Array,
  group: ConsolidationGroup,
): boolean {
  const { rt, ns, now } = w;
  const fresh = c.members.map((m) => rt.store.getById(m.record.id));
  if (fresh.some((f, i) => !f || f.record.version !== c.members[i].record.version)) return false;
  const pk = rt.store.insert(derived, { embedding: vec, embedderId: rt.embedder.id });
  rt.index.upsert(pk, ns, vec, statusBit(derived.status));
  for (const m of c.members) {
    rt.store.update(m.pk, {
      ...m.record,
      status: "stale",
      superseded_by: derived.id,
      archived: true,
      version: m.record.version + 1,
      updated_at: now,
    });
    rt.index.remove(m.pk);
  }
  // Graph edges commit with the derived memory (semantic ones for a few clusters only);
  // the archived sources keep theirs.
  linkMemories(rt.store, [derived.id], { index: w.index, stats: rt.stats, fresh: true });
  group.derived_id = derived.id;
  recordActivity(rt, {
    namespace: ns,
    kind: "consolidate",
    memory_id: derived.id,
    actor: w.actor,
    detail: { source_ids: group.source_ids },
  });
  return true;
}

/**
 * Find clusters (greedy, oldest first) and, unless `dry_run`, write one derived memory per
 * cluster and retire the sources. Run it through the write queue: it embeds between reading
 * and writing, and re-checks every source's version inside the transaction.
 */
export async function consolidate(rt: Runtime, raw: unknown, ctx: { actor?: string } = {}) {
  const input = parseInput(ConsolidateInputSchema, raw);
  const ns = input.namespace ?? DEFAULT_NAMESPACE;
  const threshold = input.threshold ?? 0.9;
  const maxClusters = input.max_clusters ?? 50;
  const dryRun = input.dry_run ?? false;
  rt.syncIndex();
  const countActive = () => rt.store.count({ namespace: ns, statuses: ["active"] });
  const activeBefore = countActive();
  const pool: StoredMemory[] = rt.store.list(
    { namespace: ns },
    { limit: input.scan_limit ?? 2000, order: "newest" },
  ).filter((m) => eligible(m.record)).reverse();
  const clusters = findClusters(rt, pool, threshold, maxClusters);
  const groups: ConsolidationGroup[] = clusters.map(({ members, sims }) => ({
    kept: members[0].record.id,
    merged: members.slice(1).map((m) => m.record.id),
    avg_similarity: round(sims.reduce((a, b) => a + b, 0) / Math.max(1, sims.length)),
    source_ids: members.map((m) => m.record.id),
  }));
  const merged = clusters.reduce((n, c) => n + c.members.length - 1, 0);
  const rateBefore = activeBefore ? round(merged / activeBefore) : 0;
  if (dryRun || clusters.length === 0) {
    return {
      namespace: ns,
      groups,
      total_merged: merged,
      derived_created: 0,
      active_before: activeBefore,
      active_after: activeBefore,
      active_reduction: 0,
      duplicate_rate_before: rateBefore,
      duplicate_rate_after: rateBefore,
      dry_run: dryRun,
    };
  }
  const now = rt.now().toISOString();
  const derived = clusters.map((c) => derive(c.members.map((m) => m.record), now, ns));
  const vecs = await rt.embedder.embed(derived.map((d) => d.content));
  const hashes = await Promise.all(derived.map((d) => contentHash(d.content)));
  let created = 0;
  const index = clusters.length <= 4 ? rt.index : undefined;
  const w: ClusterWrite = { rt, ns, now, actor: ctx.actor ?? null, index };
  rt.store.transaction(() => {
    clusters.forEach((c, k) => {
      const d = { ...derived[k], content_hash: hashes[k] };
      if (writeCluster(w, c, d, vecs[k], groups[k])) created++;
    });
  });
  const activeAfter = countActive();
  return {
    namespace: ns,
    groups: groups.filter((g) => g.derived_id),
    total_merged: groups.filter((g) => g.derived_id).reduce((n, g) => n + g.merged.length, 0),
    derived_created: created,
    active_before: activeBefore,
    active_after: activeAfter,
    active_reduction: activeBefore - activeAfter,
    duplicate_rate_before: rateBefore,
    duplicate_rate_after: 0,
    dry_run: false,
  };
}
