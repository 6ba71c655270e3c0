/**
 * The lifecycle policy (memoryOSS §1.2) behind `decay` and `gc`: memories idle past a threshold
 * that never earned their keep turn stale, and stale or contested ones idle past it are archived.
 * Nothing is ever deleted; archived memories stay in the store and in exports with
 * `--include-archived`.
 */
import { z } from "zod";
import type { MemoryRecord } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { lifecycleAnchor, trustScore } from "./trust.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";

/** One planned change. */
export interface Transition {
  id: string;
  from: MemoryRecord["status"];
  to: "stale" | "archived";
  reason: string;
  idle_days: number;
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
): Transition[] {
  const out: Transition[] = [];
  for (const r of records) {
    if (r.archived) continue;
    const idle = (now.getTime() - lifecycleAnchor(r)) / DAY;
    const idleDays = Math.round(idle * 10) / 10;
    const old = idle >= afterDays;
    const positive = r.reuse_count > 0 || r.confirm_count > 0;
    const stale = (reason: string) =>
      out.push({ id: r.id, from: r.status, to: "stale", reason, idle_days: idleDays });
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
        if (trustScore(r, now).score < 0.45 && !positive) {
          stale("low trust, no positive outcomes");
          continue;
        }
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
  return rt.store.transaction(() => {
    const rows = rt.store.list({ namespace }, { limit: 10_000_000 });
    const plan = planLifecycle(rows.map((m) => m.record), now, afterDays, steps);
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
    };
  });
}
