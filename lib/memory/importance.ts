/**
 * Importance for the lifecycle (`decay`): how much a memory still matters at `now`. Pure.
 *
 *   importance = base × access boost × 0.5^(idle days / half-life) ÷ (1 + rejections)
 *
 * - base: `metadata.importance` (1–5: 0.15, 0.3, 0.5, 0.8, 1.0), else 3 → 0.5;
 * - access boost: `1 + 0.5·ln(1 + uses)`, uses = reuses + confirmations + merged evidence +
 *   injections (recall hits that reached an agent);
 * - half-life: `lifecycle.half_life_days`, slower for decisions and preferences;
 * - idle: since the latest thing that happened to it (use, review, update, creation).
 *
 * Immunity: pinned (tag `lifecycle.pin_tag` or `metadata.pinned: true`) never decays and is
 * never archived; importance ≥ 4 or at least `immune_access_count` positive uses (reuses,
 * confirmations, merged evidence; injections alone do not count) never turns stale by decay.
 */
import type { Config } from "../config/mod.ts";
import type { MemoryRecord } from "../store/mod.ts";
import { lifecycleAnchor } from "./trust.ts";

/** The `[lifecycle]` settings. */
export type LifecyclePolicy = Config["lifecycle"];

/** The defaults (what the config template holds). */
export const DEFAULT_LIFECYCLE: LifecyclePolicy = {
  half_life_days: 30,
  decision_half_life_days: 90,
  preference_half_life_days: 90,
  min_importance: 0.1,
  immune_access_count: 3,
  pin_tag: "pinned",
};

/** One memory's importance and the reasons for it. */
export interface Importance {
  importance: number;
  base: number;
  uses: number;
  access_boost: number;
  half_life_days: number;
  idle_days: number;
  decay_factor: number;
  /** Why it cannot decay (pinned) or turn stale by importance; null when it can. */
  immune: "pinned" | "high importance" | "often used" | null;
  why: string;
}

const DAY = 86_400_000;
const BASE: Record<number, number> = { 1: 0.15, 2: 0.3, 3: 0.5, 4: 0.8, 5: 1.0 };
const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** The 1–5 importance a memory was given (metadata.importance), else 3. */
export function statedImportance(r: MemoryRecord): number {
  const v = Number(r.metadata?.importance);
  return Number.isInteger(v) && v >= 1 && v <= 5 ? v : 3;
}

/** Pinned: tagged with the pin tag, or `metadata.pinned === true`. */
export function isPinned(r: MemoryRecord, policy: LifecyclePolicy): boolean {
  return r.tags.includes(policy.pin_tag) || r.metadata?.pinned === true;
}

/** The half-life that applies to a record's category. */
export function halfLifeDays(r: MemoryRecord, policy: LifecyclePolicy): number {
  if (r.category === "decision") return policy.decision_half_life_days;
  if (r.category === "preference") return policy.preference_half_life_days;
  return policy.half_life_days;
}

/**
 * Score one record at `now`.
 *
 * @example
 * ```ts
 * importanceOf(record, new Date(), DEFAULT_LIFECYCLE).importance; // 0.5 for a fresh memory
 * ```
 */
export function importanceOf(
  r: MemoryRecord,
  now: Date,
  policy: LifecyclePolicy = DEFAULT_LIFECYCLE,
): Importance {
  const stated = statedImportance(r);
  const base = BASE[stated];
  const positive = r.reuse_count + r.confirm_count + Math.max(0, r.evidence_count - 1);
  const uses = positive + r.injection_count;
  const boost = 1 + 0.5 * Math.log(1 + uses);
  const half = halfLifeDays(r, policy);
  const idle = Math.max(0, (now.getTime() - lifecycleAnchor(r)) / DAY);
  const pinned = isPinned(r, policy);
  const factor = pinned ? 1 : Math.pow(0.5, idle / half);
  const penalty = 1 / (1 + r.reject_count);
  const importance = r4(Math.min(1, base * boost * factor * penalty));
  const immune = pinned
    ? "pinned"
    : stated >= 4
    ? "high importance"
    : positive >= policy.immune_access_count
    ? "often used"
    : null;
  const parts = [
    `base ${base} (importance ${stated})`,
    `× access ${r4(boost)} (${uses} use${uses === 1 ? "" : "s"})`,
    pinned
      ? "× 1 (pinned: no decay)"
      : `× decay ${r4(factor)} (idle ${r4(idle)} d, half-life ${half} d` +
        `${r.category === "decision" || r.category === "preference" ? `, ${r.category}` : ""})`,
    ...(r.reject_count ? [`÷ ${1 + r.reject_count} (rejected ${r.reject_count}×)`] : []),
  ];
  return {
    importance,
    base,
    uses,
    access_boost: r4(boost),
    half_life_days: half,
    idle_days: Math.round(idle * 10) / 10,
    decay_factor: r4(factor),
    immune,
    why: `${parts.join(" ")} = ${importance}${immune ? `; immune: ${immune}` : ""}`,
  };
}
