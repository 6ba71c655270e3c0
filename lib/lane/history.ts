/** The tick history: one JSON line per root per tick, appended; read newest first. */
import { MemoryossError } from "../errors/mod.ts";
import type { AccountsSnapshot } from "./accounts.ts";

/**
 * One history line. The first ten fields are cmmd's, in cmmd's order (spec §4.2); the rest
 * are ours and come after them.
 */
export interface TickRecord {
  tick_id: string;
  started_at_unix: number;
  finished_at_unix: number;
  dry_run: boolean;
  memory_root: string;
  ran: boolean;
  reason_skipped: string | null;
  exit_code: number | null;
  audit_total_issues: number;
  pre_tick_sha: string | null;
  /** Mechanical repairs applied before the agent (live mode only). */
  fixes_applied: string[];
  /** Path of the agent transcript, when the agent ran. */
  transcript: string | null;
  duration_ms: number;
  /** The accounts snapshot of the pass (authmux and the account folders), when one was taken. */
  accounts?: AccountsSnapshot | null;
}

/**
 * cmmd's tick id: seconds and nanoseconds of the start time, in hex.
 *
 * @example
 * ```ts
 * tickId(1_700_000_000_123); // "6553f100754d4c0"
 * ```
 */
export function tickId(epochMs: number): string {
  const secs = Math.floor(epochMs / 1000);
  const nanos = Math.round((epochMs - secs * 1000) * 1e6);
  return secs.toString(16) + nanos.toString(16);
}

/**
 * Serialize a record as one line, fields in contract order.
 *
 * @example
 * ```ts
 * historyLine(record).endsWith("\n"); // true
 * ```
 */
export function historyLine(r: TickRecord): string {
  const ordered: TickRecord = {
    tick_id: r.tick_id,
    started_at_unix: r.started_at_unix,
    finished_at_unix: r.finished_at_unix,
    dry_run: r.dry_run,
    memory_root: r.memory_root,
    ran: r.ran,
    reason_skipped: r.reason_skipped,
    exit_code: r.exit_code,
    audit_total_issues: r.audit_total_issues,
    pre_tick_sha: r.pre_tick_sha,
    fixes_applied: r.fixes_applied,
    transcript: r.transcript,
    duration_ms: r.duration_ms,
    accounts: r.accounts ?? null,
  };
  return JSON.stringify(ordered) + "\n";
}

/**
 * Append one record (the file is created on first use).
 *
 * @example
 * ```ts
 * await appendHistory("/home/me/.memoryoss/lane/history.jsonl", record);
 * ```
 */
export async function appendHistory(path: string, r: TickRecord): Promise<void> {
  await Deno.writeTextFile(path, historyLine(r), { append: true, create: true, mode: 0o600 });
}

/**
 * The last `n` records, newest first; lines that do not parse are skipped.
 *
 * @example
 * ```ts
 * (await tailHistory(path, 5)).map((r) => r.tick_id);
 * ```
 */
export async function tailHistory(path: string, n = 20): Promise<TickRecord[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return parseHistory(text).reverse().slice(0, n);
}

/**
 * The record of one tick: its id, or a prefix of it that only one tick has. NOT_FOUND when no
 * tick matches, INVALID_INPUT when the prefix is ambiguous.
 *
 * @example
 * ```ts
 * (await findTick("/home/me/.memoryoss/lane/history.jsonl", "6553f1")).transcript;
 * ```
 */
export async function findTick(path: string, id: string): Promise<TickRecord> {
  const all = await tailHistory(path, Number.MAX_SAFE_INTEGER);
  const exact = all.find((r) => r.tick_id === id);
  if (exact) return exact;
  const matches = [...new Map(
    all.filter((r) => r.tick_id.startsWith(id)).map((r) => [
      r.tick_id,
      r,
    ]),
  ).values()];
  if (matches.length === 1 && id.length > 0) return matches[0];
  if (matches.length > 1 && id.length > 0) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `tick id '${id}' is ambiguous (${matches.length} ticks start with it)`,
    );
  }
  throw new MemoryossError("NOT_FOUND", `no tick '${id}' in ${path}`);
}

/**
 * Parse JSONL history text in file order, skipping lines that are not records.
 *
 * @example
 * ```ts
 * parseHistory('{"tick_id":"a"}\nnot json\n').length; // 1
 * ```
 */
export function parseHistory(text: string): TickRecord[] {
  const out: TickRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line);
      if (v && typeof v === "object" && typeof v.tick_id === "string") out.push(v as TickRecord);
    } catch { /* a torn or foreign line: skip it, as cmmd does */ }
  }
  return out;
}

/**
 * One line of text per record for `lane history`.
 *
 * @example
 * ```ts
 * formatHistoryLine(record); // "2025-11-23T10:00:00Z 6553f1… ran exit=0 issues=3 …"
 * ```
 */
export function formatHistoryLine(r: TickRecord): string {
  const when = new Date(r.started_at_unix * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  const what = r.ran ? `ran exit=${r.exit_code ?? "killed"}` : `skipped: ${r.reason_skipped}`;
  const mode = r.dry_run ? "dry-run" : "live";
  return `${when} ${r.tick_id} ${mode} issues=${r.audit_total_issues} ${what} root=${r.memory_root}`;
}
