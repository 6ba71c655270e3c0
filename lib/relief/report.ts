/**
 * Report helpers: the exit status rule, the honesty notes, and the human-readable rendering.
 * Pure.
 *
 * @module
 */
import type {
  Delta,
  ExitStatus,
  ReliefReport,
  Snapshot,
  SnapshotReport,
  StageReport,
} from "./schema.ts";

/** Relief's exit codes (the Memoria contract). */
export const EXIT = { OK: 0, PARTIAL: 1, FAILURE: 2, INVALID_ARGS: 3 } as const;

/**
 * Memoria's `exit_status` string for a report's exit code (a report is never printed for 3,
 * invalid arguments: that is one error line on stderr).
 *
 * @example
 * ```ts
 * exitStatusName(1); // "partial"
 * ```
 */
export function exitStatusName(code: 0 | 1 | 2 | 3): ExitStatus {
  return code === 0 ? "ok" : code === 1 ? "partial" : "failure";
}

/**
 * A run record (a history line, the state's `last_run`) written before the Memoria
 * vocabulary, in today's form: an integer `exit_status` becomes `exit_code` plus its name,
 * `mode` "relief" / "auto" becomes "memory_relief" with its `trigger`. Others pass through.
 *
 * @example
 * ```ts
 * upgradeRunRecord({ exit_status: 1, mode: "auto" });
 * // { exit_status: "partial", mode: "memory_relief", exit_code: 1, trigger: "auto" }
 * ```
 */
export function upgradeRunRecord(r: Record<string, unknown>): Record<string, unknown> {
  const out = { ...r };
  if (typeof r.exit_status === "number") {
    out.exit_code = r.exit_status;
    out.exit_status = exitStatusName(r.exit_status as 0 | 1 | 2);
  }
  if (r.mode === "relief" || r.mode === "auto") {
    out.trigger = r.mode === "auto" ? "auto" : "manual";
    out.mode = "memory_relief";
  }
  return out;
}

/**
 * 0 when every stage is ok or benignly skipped; 1 when a stage errored or an admin tier was
 * downgraded.
 *
 * @example
 * ```ts
 * exitStatusFor([{ status: "error" } as StageReport], false); // 1
 * ```
 */
export function exitStatusFor(stages: Pick<StageReport, "status">[], downgraded: boolean): 0 | 1 {
  return downgraded || stages.some((s) => s.status === "error") ? 1 : 0;
}

/**
 * Notes that keep the totals honest: what moved between lists versus what was released.
 *
 * @example
 * ```ts
 * honestyNotes({ available_mb: 0, free_mb: 300, standby_mb: -300, modified_mb: 0,
 *   compressed_mb: null, commit_mb: 0 })[0]; // "standby → free: …"
 * ```
 */
export function honestyNotes(d: Delta): string[] {
  const out: string[] = [];
  if (d.standby_mb !== null && d.free_mb !== null && d.standby_mb < -1 && d.free_mb > 1) {
    out.push(
      `standby → free: ${fmt(-d.standby_mb)} MB moved; standby already counts as available, ` +
        "so this raises 'free', not 'available'",
    );
  }
  if (d.available_mb > 1 && d.commit_mb !== null && Math.abs(d.commit_mb) < 1) {
    out.push(
      `available +${fmt(d.available_mb)} MB with commit unchanged: memory was moved ` +
        "(to swap, page file or disk-backed lists), not released; it returns on use",
    );
  }
  if (d.available_mb < -1) {
    out.push(`available fell ${fmt(-d.available_mb)} MB during the run (other processes allocate)`);
  }
  return out;
}

function fmt(n: number): string {
  return n.toFixed(1).replace(/\.0$/, "");
}

const gb = (n: number | null) => (n === null ? "n/a" : `${n.toFixed(2)} GB`);
const signed = (n: number | null) => (n === null ? "n/a" : `${n >= 0 ? "+" : ""}${fmt(n)} MB`);

/**
 * One line per snapshot: used %, available of total, and the lists the OS gives.
 *
 * @example
 * ```ts
 * snapshotLine(report.before); // "used 41.2% · available 14.10 GB of 24.00 GB · …"
 * ```
 */
export function snapshotLine(s: Snapshot): string {
  const parts = [
    `used ${s.used_pct.toFixed(1)}%`,
    `available ${gb(s.available_gb)} of ${gb(s.total_gb)}`,
  ];
  const lists: [string, number | null][] = [
    ["free", s.free_gb],
    ["cache", s.cache_gb],
    ["standby", s.standby_gb],
    ["modified", s.modified_gb],
    ["compressed", s.compressed_gb],
    ["swap/pagefile used", s.pagefile_used_gb],
  ];
  for (const [k, v] of lists) if (v !== null) parts.push(`${k} ${gb(v)}`);
  if (s.commit_used_gb !== null && s.commit_limit_gb !== null) {
    parts.push(`commit ${gb(s.commit_used_gb)} of ${gb(s.commit_limit_gb)}`);
  }
  if (s.pressure) parts.push(`pressure ${s.pressure.some_avg10.toFixed(2)}% (10 s)`);
  if (s.pressure_level) parts.push(`pressure ${s.pressure_level}`);
  return parts.join(" · ");
}

/**
 * The human-readable report (`relief` without `--json`).
 *
 * @example
 * ```ts
 * console.log(renderText(report));
 * ```
 */
export function renderText(r: ReliefReport | SnapshotReport): string {
  const admin = r.is_admin ? "admin" : "not admin";
  if (r.mode === "snapshot") {
    const lines = [`memory on ${r.platform} (${admin}): ${snapshotLine(r)}`];
    for (const n of r.notes) lines.push(`  note: ${n}`);
    return lines.join("\n");
  }
  const status = r.exit_status;
  const tier = r.tier_effective === r.tier_requested
    ? r.tier_requested
    : `${r.tier_requested} → ${r.tier_effective}`;
  const lines = [
    `relief ${tier}${r.dry_run ? " (dry run)" : ""} on ${r.platform} (${admin}): ${status}, ` +
    `${r.report.elapsed_ms} ms`,
    `  before  ${snapshotLine(r.before)}`,
  ];
  if (r.after) lines.push(`  after   ${snapshotLine(r.after)}`);
  const d = r.report.deltas;
  if (d) {
    lines.push(
      `  change  available ${signed(d.available_mb)} · free ${signed(d.free_mb)} · ` +
        `standby ${signed(d.standby_mb)} · modified ${signed(d.modified_mb)} · ` +
        `commit ${signed(d.commit_mb)}`,
    );
  }
  if (r.report.rebound_mb !== null) {
    lines.push(`  settled available ${signed(r.report.rebound_mb)} after the wait`);
  }
  if (r.report.foreground_excluded) {
    lines.push(`  spared  ${r.report.foreground_excluded} (the foreground app and its tree)`);
  }
  lines.push("  stages");
  for (const s of r.report.stages) {
    const what = s.status === "ok" ? signed(s.freed_mb) : s.reason ?? "";
    lines.push(
      `    ${s.status.padEnd(8)}${s.name.padEnd(25)}${what.padEnd(20)}` +
        (s.status === "skipped" ? "" : `${s.elapsed_ms} ms${s.note ? `  ${s.note}` : ""}`),
    );
  }
  const trimmed = r.report.process_trims.filter((t) => t.status !== "skipped" || !t.reason);
  if (trimmed.length) {
    lines.push("  processes");
    for (const t of trimmed.slice(0, 15)) {
      lines.push(
        `    ${String(t.pid).padStart(7)} ${t.image.padEnd(24)} ${fmt(t.ws_before_mb ?? 0)} → ` +
          `${t.ws_after_mb === null ? "?" : fmt(t.ws_after_mb)} MB  ${t.status}` +
          (t.reason ? ` (${t.reason})` : ""),
      );
    }
    if (trimmed.length > 15) lines.push(`    … ${trimmed.length - 15} more (see --json)`);
  }
  for (const n of r.report.notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
}
