/**
 * Run history: one JSON line per cleanup in `<home>/relief/history.jsonl`, rotated by size to
 * `history.1.jsonl`. Lines are summaries (the full report is what `--json` prints), with the
 * report's Memoria vocabulary: `mode` "memory_relief", `exit_status` "ok" | "partial" |
 * "failure", and our `exit_code` and `trigger` beside them. Lines written before schema 1.0
 * was followed (integer `exit_status`, `mode` "relief" | "auto") are read back in that form.
 *
 * @module
 */
import { join } from "node:path";
import { upgradeRunRecord } from "./report.ts";
import type { ReliefReport } from "./schema.ts";

/** One history line. */
export interface HistoryEntry {
  when: string;
  mode: ReliefReport["mode"];
  trigger: ReliefReport["trigger"];
  platform: ReliefReport["platform"];
  tier_requested: ReliefReport["tier_requested"];
  tier_effective: ReliefReport["tier_effective"];
  dry_run: boolean;
  exit_status: ReliefReport["exit_status"];
  exit_code: ReliefReport["exit_code"];
  freed_mb: number;
  elapsed_ms: number;
  before: { used_pct: number; available_gb: number };
  after: { used_pct: number; available_gb: number } | null;
  stages: { name: string; status: string; reason: string | null; freed_mb: number | null }[];
  trimmed: number;
}

/** The history file names under a relief folder. */
export const HISTORY_FILE = "history.jsonl";
export const HISTORY_ROTATED = "history.1.jsonl";
/** Rotate past this size. */
export const HISTORY_MAX_BYTES = 1024 * 1024;

/**
 * The history line for a report.
 *
 * @example
 * ```ts
 * historyEntry(report).exit_status; // same as report.exit_status, e.g. "ok"
 * ```
 */
export function historyEntry(r: ReliefReport): HistoryEntry {
  const brief = (s: ReliefReport["before"] | null) =>
    s ? { used_pct: s.used_pct, available_gb: s.available_gb } : null;
  return {
    when: r.when,
    mode: r.mode,
    trigger: r.trigger,
    platform: r.platform,
    tier_requested: r.tier_requested,
    tier_effective: r.tier_effective,
    dry_run: r.dry_run,
    exit_status: r.exit_status,
    exit_code: r.exit_code,
    freed_mb: r.freed_mb,
    elapsed_ms: r.report.elapsed_ms,
    before: brief(r.before)!,
    after: brief(r.after),
    stages: r.report.stages.map((s) => ({
      name: s.name,
      status: s.status,
      reason: s.reason,
      freed_mb: s.freed_mb,
    })),
    trimmed: r.report.process_trims.filter((t) => t.status === "ok").length,
  };
}

/**
 * Append one entry, rotating first when the file is over `maxBytes`.
 *
 * @example
 * ```ts
 * await appendHistory(`${home}/relief`, historyEntry(report));
 * ```
 */
export async function appendHistory(
  dir: string,
  entry: HistoryEntry,
  maxBytes = HISTORY_MAX_BYTES,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, HISTORY_FILE);
  const size = await Deno.stat(file).then((s) => s.size, () => 0);
  if (size > maxBytes) await Deno.rename(file, join(dir, HISTORY_ROTATED));
  await Deno.writeTextFile(file, JSON.stringify(entry) + "\n", { append: true, mode: 0o600 });
}

/**
 * The last `n` entries, oldest first (reads the rotated file too when needed). Lines that do
 * not parse are skipped: a torn last line must not hide the rest.
 *
 * @example
 * ```ts
 * const last = await readHistory(`${home}/relief`, 20);
 * ```
 */
export async function readHistory(dir: string, n: number): Promise<HistoryEntry[]> {
  const read = (name: string) => Deno.readTextFile(join(dir, name)).catch(() => "");
  let lines = parseLines(await read(HISTORY_FILE));
  if (lines.length < n) lines = [...parseLines(await read(HISTORY_ROTATED)), ...lines];
  return n > 0 ? lines.slice(-n) : [];
}

function parseLines(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line);
      if (e && typeof e === "object" && typeof e.when === "string") {
        out.push(upgradeRunRecord(e) as unknown as HistoryEntry);
      }
    } catch { /* torn or foreign line */ }
  }
  return out;
}

/**
 * One human-readable line per history entry.
 *
 * @example
 * ```ts
 * historyLine(entry); // "2025-01-01T10:00:00.000Z  relief safe       ok (exit 0)  available 3.10 → 3.40 GB (+300 MB)  2 trimmed"
 * ```
 */
export function historyLine(e: HistoryEntry): string {
  const avail = e.after
    ? `${e.before.available_gb.toFixed(2)} → ${e.after.available_gb.toFixed(2)} GB`
    : `${e.before.available_gb.toFixed(2)} GB`;
  const who = e.trigger === "auto" ? "auto" : "relief";
  return `${e.when}  ${who.padEnd(6)} ${(e.tier_effective ?? "-").padEnd(10)} ` +
    `${e.exit_status} (exit ${e.exit_code})  available ${avail} ` +
    `(${e.freed_mb >= 0 ? "+" : ""}${e.freed_mb} MB)  ${e.trimmed} trimmed`;
}
