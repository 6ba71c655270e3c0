/**
 * Team governance view (memoryOSS `GET /v1/admin/team/governance`): memories carrying a
 * `team_governance` block (kept in `metadata.team_governance`, carried by passports) grouped
 * by branch, with memoryOSS's summary counters. "Stale governance" is memoryOSS's rule: the
 * memory changed after it was merged (or, never merged, after it was proposed).
 *
 * @module
 */
import { z } from "zod";
import { namespaceRecords, type StoreInput, structuralDuplicates } from "../memory/mod.ts";
import type { Runtime } from "../memory/mod.ts";
import { MEMORY_TYPES, type MemoryRecord } from "../store/mod.ts";
import { TeamGovernance } from "./schemas.ts";

interface Governed {
  record: MemoryRecord;
  gov: TeamGovernance;
  stale: boolean;
}

/** One branch of the view. */
export interface GovernanceBranch {
  branch: string;
  memory_count: number;
  scopes: string[];
  owners: string[];
  watchlist: string[];
  pending_review: number;
  stale_policies: number;
  conflicting_decisions: number;
  memories: {
    id: string;
    status: string;
    scope: string;
    review_required: boolean;
    proposed_by: string;
    proposed_at: string;
    merged_by: string | null;
    merged_at: string | null;
    stale_governance: boolean;
    preview: string;
  }[];
}

const sortedSet = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Whether a governed memory changed after its merge (or proposal, when never merged). */
export function staleGovernance(updatedAt: string, gov: TeamGovernance): boolean {
  const mark = gov.merged_at ?? gov.proposed_at;
  return Date.parse(updatedAt) > Date.parse(mark);
}

const conflicting = (g: Governed) =>
  g.record.status === "contested" || g.record.contradicts_with.length > 0;

/**
 * The governance view of one namespace (archived memories left out).
 *
 * @example
 * ```ts
 * teamGovernance(rt, "team").summary.governed_memories;
 * ```
 */
export function teamGovernance(rt: Runtime, namespace: string) {
  const governed: Governed[] = [];
  for (const { record } of namespaceRecords(rt, namespace, false)) {
    const parsed = TeamGovernance.safeParse(record.metadata?.team_governance);
    if (!parsed.success) continue;
    governed.push({
      record,
      gov: parsed.data,
      stale: staleGovernance(record.updated_at, parsed.data),
    });
  }
  const duplicates = new Set<string>();
  for (let i = 0; i < governed.length; i++) {
    for (let j = i + 1; j < governed.length; j++) {
      if (structuralDuplicates(governed[i].record.content, governed[j].record.content)) {
        duplicates.add(governed[i].record.id).add(governed[j].record.id);
      }
    }
  }
  const pending = (g: Governed) => g.record.status === "candidate";
  const branches = sortedSet(governed.map((g) => g.gov.branch)).map((branch) =>
    branchView(branch, governed.filter((g) => g.gov.branch === branch), pending)
  );
  return {
    namespace,
    summary: {
      governed_memories: governed.length,
      active_branches: branches.length,
      review_required_scopes:
        sortedSet(governed.filter((g) => g.gov.review_required).map((g) => g.gov.scope)).length,
      pending_review: governed.filter(pending).length,
      duplicate_memories: duplicates.size,
      stale_policies: governed.filter((g) => g.stale).length,
      conflicting_decisions: governed.filter(conflicting).length,
      watchlist_entries: sortedSet(governed.flatMap((g) => g.gov.watchlist)).length,
      owner_count: sortedSet(governed.flatMap((g) => g.gov.owners)).length,
    },
    branches,
  };
}

function branchView(
  branch: string,
  items: Governed[],
  pending: (g: Governed) => boolean,
): GovernanceBranch {
  return {
    branch,
    memory_count: items.length,
    scopes: sortedSet(items.map((g) => g.gov.scope)),
    owners: sortedSet(items.flatMap((g) => g.gov.owners)),
    watchlist: sortedSet(items.flatMap((g) => g.gov.watchlist)),
    pending_review: items.filter(pending).length,
    stale_policies: items.filter((g) => g.stale).length,
    conflicting_decisions: items.filter(conflicting).length,
    memories: items.map(({ record: r, gov, stale }) => ({
      id: r.id,
      status: r.status,
      scope: gov.scope,
      review_required: gov.review_required,
      proposed_by: gov.proposed_by,
      proposed_at: gov.proposed_at,
      merged_by: gov.merged_by ?? null,
      merged_at: gov.merged_at ?? null,
      stale_governance: stale,
      preview: r.content.length > 120 ? `${r.content.slice(0, 120)}...` : r.content,
    })),
  };
}

/** `POST /v1/admin/team/governance/propose` body (memoryOSS field names). */
export const ProposeInputSchema = z.strictObject({
  content: z.string(),
  tags: z.array(z.string()).optional(),
  agent: z.string().optional(),
  session: z.string().optional(),
  memory_type: z.enum(MEMORY_TYPES).optional(),
  namespace: z.string().optional(),
  branch: z.string().trim().min(1).max(128),
  scope: z.string().trim().min(1).max(128),
  review_required: z.boolean().default(false),
  owners: z.array(z.string().min(1)).max(50).default([]),
  watchlist: z.array(z.string().min(1)).max(50).default([]),
});

/**
 * The store input of a governed proposal: a candidate when it needs review, else active,
 * carrying its `team_governance` block (proposed by `by`, now).
 *
 * @example
 * ```ts
 * proposalInput(parseInput(ProposeInputSchema, body), "proj", "key1", new Date()).status;
 * ```
 */
export function proposalInput(
  input: z.infer<typeof ProposeInputSchema>,
  namespace: string,
  by: string,
  now: Date,
): StoreInput {
  const governance: TeamGovernance = {
    branch: input.branch,
    scope: input.scope,
    review_required: input.review_required,
    owners: input.owners,
    watchlist: input.watchlist,
    proposed_by: by,
    proposed_at: now.toISOString(),
    merged_by: null,
    merged_at: null,
  };
  return {
    content: input.content,
    ...(input.tags ? { tags: input.tags } : {}),
    ...(input.agent ? { agent: input.agent } : {}),
    ...(input.session ? { session: input.session } : {}),
    ...(input.memory_type ? { memory_type: input.memory_type } : {}),
    namespace,
    status: input.review_required ? "candidate" : "active",
    metadata: { team_governance: governance },
  };
}
