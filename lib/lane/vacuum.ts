/**
 * cmmd's retention verbs. `vacuum`: drop tick transcripts (and their audit JSON) older than
 * `keepDays` from `<state-dir>/transcripts` (cmmd: `/tmp/cmmd-tick-*.log`) and keep the last
 * `keepHistory` lines of the history file (written atomically). `last-tick-summary`: the
 * agent's `files=… issues=… applied=…` line of the newest tick. Outputs in cmmd's wording.
 */
import { join } from "node:path";
import { tailHistory, type TickRecord } from "./history.ts";

/** What vacuum did (or, with dry_run, would do); cmmd's fields. */
export interface VacuumResult {
  transcripts_removed: number;
  transcripts_kept: number;
  history_before: number;
  history_after: number;
  keep_days: number;
  keep_history: number;
  dry_run: boolean;
}

const TRANSCRIPT = /^tick-[0-9a-f]+\.(log|audit\.json)$/;

async function pruneTranscripts(dir: string, cutoffMs: number, dryRun: boolean) {
  let removed = 0, kept = 0;
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for (const e of entries) {
    if (!e.isFile || !TRANSCRIPT.test(e.name) || e.name.endsWith(".audit.json")) continue;
    const path = join(dir, e.name);
    const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
    if (mtime >= cutoffMs) {
      kept++;
      continue;
    }
    removed++;
    if (dryRun) continue;
    await Deno.remove(path).catch(() => {});
    await Deno.remove(path.replace(/\.log$/, ".audit.json")).catch(() => {});
  }
  return { removed, kept };
}

/**
 * Apply retention to the lane's transcripts and history.
 *
 * @example
 * ```ts
 * await vacuum({ transcriptDir, historyFile, keepDays: 14, keepHistory: 10_000, dryRun: true });
 * ```
 */
export async function vacuum(o: {
  transcriptDir: string;
  historyFile: string;
  keepDays: number;
  keepHistory: number;
  dryRun: boolean;
  now?: number;
}): Promise<VacuumResult> {
  const cutoff = (o.now ?? Date.now()) - o.keepDays * 86_400_000;
  const t = await pruneTranscripts(o.transcriptDir, cutoff, o.dryRun);
  let before = 0, after = 0;
  let text: string | null = null;
  try {
    text = await Deno.readTextFile(o.historyFile);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (text !== null) {
    const lines = text.split("\n").filter((l) => l !== "");
    before = lines.length;
    after = Math.min(lines.length, o.keepHistory);
    if (after < before && !o.dryRun) {
      const tmp = `${o.historyFile}.tmp`;
      const kept = lines.slice(lines.length - after);
      await Deno.writeTextFile(tmp, kept.length ? kept.join("\n") + "\n" : "", { mode: 0o600 });
      await Deno.rename(tmp, o.historyFile);
    }
  }
  return {
    transcripts_removed: t.removed,
    transcripts_kept: t.kept,
    history_before: before,
    history_after: after,
    keep_days: o.keepDays,
    keep_history: o.keepHistory,
    dry_run: o.dryRun,
  };
}

/** cmmd's one line. */
export function formatVacuum(r: VacuumResult): string {
  return `${r.dry_run ? "[dry-run] " : ""}vacuum: transcripts_removed=${r.transcripts_removed} ` +
    `transcripts_kept=${r.transcripts_kept} history_before=${r.history_before} ` +
    `history_after=${r.history_after} keep_days=${r.keep_days} keep_history=${r.keep_history}`;
}

/** `last-tick-summary --json`. */
export interface LastTickSummary {
  record: TickRecord | null;
  /** The agent's summary line, or null when none was found. */
  summary: string | null;
  /** Why there is no summary (no ticks, no transcript). */
  note: string | null;
}

const SUMMARY = (l: string) =>
  l.includes("files=") && l.includes("issues=") && l.includes("applied=");

/** The newest tick and its agent's summary line. */
export async function lastTickSummary(historyFile: string): Promise<LastTickSummary> {
  const [rec] = await tailHistory(historyFile, 1);
  if (!rec) return { record: null, summary: null, note: "(no ticks recorded)" };
  const body = rec.transcript ? await Deno.readTextFile(rec.transcript).catch(() => null) : null;
  if (body === null) {
    return {
      record: rec,
      summary: null,
      note: `(no transcript${rec.transcript ? ` at ${rec.transcript}` : ""}; tick may have been ` +
        `skipped — reason: ${
          rec.reason_skipped === null ? "None" : `Some(${JSON.stringify(rec.reason_skipped)})`
        })`,
    };
  }
  const line = body.split("\n").reverse().find(SUMMARY);
  return {
    record: rec,
    summary: line ? line.replace(/^\[(stdout|stderr)\] /, "").trim() : null,
    note: line ? null : "(no `files=... issues=... applied=...` line found in transcript)",
  };
}

/** cmmd's text. */
export function formatLastTickSummary(s: LastTickSummary): string {
  const r = s.record;
  if (!r) return s.note ?? "";
  if (s.summary === null && s.note?.startsWith("(no transcript")) return s.note;
  const exit = r.exit_code === null ? "None" : `Some(${r.exit_code})`;
  return [
    `tick_id    : ${r.tick_id}`,
    `started_at : ${r.started_at_unix}`,
    `duration   : ${Math.max(0, r.finished_at_unix - r.started_at_unix)}s`,
    `ran        : ${r.ran}  exit=${exit}`,
    `audit_issues: ${r.audit_total_issues}`,
    `summary    : ${s.summary ?? s.note}`,
  ].join("\n");
}
