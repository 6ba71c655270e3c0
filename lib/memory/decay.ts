/**
 * The lifecycle policy (memoryOSS §1.2) behind `decay` and `gc`: memories idle past a threshold
 * that never earned their keep turn stale, and stale or contested ones idle past it are archived.
 * Nothing is ever deleted; archived memories stay in the store and in exports with
 * `--include-archived`.
 */
import { z } from "zod";
import { type MemoryRecord, namespaceStats } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { lifecycleAnchor, trustScore } from "./trust.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";
import {
  DEFAULT_LIFECYCLE,
  type Importance,
  importanceOf,
  isPinned,
  type LifecyclePolicy,
} from "./importance.ts";

/** One planned change. */
export interface Transition {
  id: string;
  from: MemoryRecord["status"];
  to: "stale" | "archived";
  reason: string;
  idle_days: number;
  importance: number;
}

export const DecayInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  after_days: z.number().int().min(0).max(36500).optional(),
  dry_run: z.boolean().optional(),
  /** "decay" runs the whole policy; "gc" only archives what is already stale or contested. */
  steps: z.enum(["decay", "gc"]).optional(),
});

const DAY = 86_400_000;

/**
 * Plan the policy for some records at `now` (pure; table-tested).
 *
 * @example
 * ```ts
 * planLifecycle(records, new Date(), 90, "decay").map((t) => `${t.id} → ${t.to}`);
 * ```
 */
export function planLifecycle(
  records: MemoryRecord[],
  now: Date,
  afterDays: number,
  steps: "decay" | "gc" = "decay",
  policy: LifecyclePolicy = DEFAULT_LIFECYCLE,
): Transition[] {
  const out: Transition[] = [];
  for (const r of records) {
    // Pinned memories never decay and are never archived.
    if (r.archived || isPinned(r, policy)) continue;
    const idle = (now.getTime() - lifecycleAnchor(r)) / DAY;
    const idleDays = Math.round(idle * 10) / 10;
    const old = idle >= afterDays;
    const positive = r.reuse_count > 0 || r.confirm_count > 0;
    const imp = importanceOf(r, now, policy);
    const importance = imp.importance;
    const stale = (reason: string) =>
      out.push({ id: r.id, from: r.status, to: "stale", reason, idle_days: idleDays, importance });
    if (steps === "decay") {
      if (r.superseded_by && r.status !== "stale") {
        stale("superseded");
        continue;
      }
      if (r.status === "active" && old) {
        if (r.injection_count >= 3 && !positive) {
          stale("injected often, never reused or confirmed");
          continue;
        }
        if (r.reject_count > 0 || r.supersede_count > 0) {
          stale("negative outcomes");
          continue;
        }
        // Decisions and preferences fade by their own (slower) half-life instead.
        const slow = r.category === "decision" || r.category === "preference";
        if (!imp.immune && !slow && trustScore(r, now).score < 0.45 && !positive) {
          stale("low trust, no positive outcomes");
          continue;
        }
      }
      if (
        r.status === "active" && !imp.immune && !positive && importance < policy.min_importance
      ) {
        stale(`importance ${importance} < ${policy.min_importance}: ${imp.why}`);
        continue;
      }
      if (r.status === "candidate" && old && r.injection_count > 0 && !positive) {
        stale("candidate injected but never reused or confirmed");
        continue;
      }
    }
    if ((r.status === "stale" || r.status === "contested") && old) {
      out.push({
        id: r.id,
        from: r.status,
        to: "archived",
        reason: `${r.status} and idle`,
        idle_days: idleDays,
        importance,
      });
    }
  }
  return out;
}

/** Run (or with `dry_run`, only plan) the policy over one namespace. */
export function decay(rt: Runtime, raw: unknown) {
  const input = parseInput(DecayInputSchema, raw);
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  const afterDays = input.after_days ?? 90;
  const steps = input.steps ?? "decay";
  const now = rt.now();
  const policy = rt.config.lifecycle;
  return rt.store.transaction(() => {
    const rows = rt.store.list({ namespace }, { limit: 10_000_000 });
    const plan = planLifecycle(rows.map((m) => m.record), now, afterDays, steps, policy);
    if (!input.dry_run) {
      const byId = new Map(rows.map((m) => [m.record.id, m]));
      const stamp = now.toISOString();
      for (const t of plan) {
        const m = byId.get(t.id)!;
        const r: MemoryRecord = {
          ...m.record,
          version: m.record.version + 1,
          updated_at: stamp,
          ...(t.to === "stale" ? { status: "stale" as const } : { archived: true }),
        };
        rt.store.update(m.pk, r);
      }
    }
    return {
      namespace,
      after_days: afterDays,
      steps,
      dry_run: Boolean(input.dry_run),
      stale: plan.filter((t) => t.to === "stale").length,
      archived: plan.filter((t) => t.to === "archived").length,
      transitions: plan,
      // A dry run explains every memory: its importance and why.
      ...(input.dry_run
        ? {
          importance: rows.filter((m) => !m.record.archived).map((m) =>
            explainRow(m.record, now, policy)
          ),
        }
        : {}),
    };
  });
}

/** One memory's line in a dry run: importance, immunity and the arithmetic behind them. */
export interface ImportanceRow extends Importance {
  id: string;
  status: MemoryRecord["status"];
  category: MemoryRecord["category"];
}

function explainRow(r: MemoryRecord, now: Date, policy: LifecyclePolicy): ImportanceRow {
  return { id: r.id, status: r.status, category: r.category, ...importanceOf(r, now, policy) };
}

/**
 * {@link decay} over every namespace of the home (`--all-namespaces`), each in its own short
 * transaction; `raw` must not name a namespace.
 *
 * @example
 * ```ts
 * decayAll(rt, { dry_run: true }).map((r) => r.namespace);
 * ```
 */
export function decayAll(rt: Runtime, raw: Record<string, unknown>): ReturnType<typeof decay>[] {
  return namespaceStats(rt.store).map((s) => decay(rt, { ...raw, namespace: s.namespace }));
}
