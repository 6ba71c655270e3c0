/** `lane audit|fix|git-log|diff|restore`: the memory folder itself, and undo. */
import * as lane from "../../lib/lane/mod.ts";
import { intValue, type Parsed, strValue } from "../_args.ts";
import { COUNT, flag, JSON_, memRoot, need, out, ROOT, type Sub } from "./_shared.ts";

/** `s` as one shell word (quoted only when it needs to be). */
const shellWord = (s: string) => /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;

export const audit: Sub = {
  summary: "deterministic audit of a memory folder (no LLM)",
  usage: "audit [--memory-root DIR] [--json]",
  cmmd: "cmmd audit",
  options: { ...ROOT, ...JSON_ },
  notes: ["Exit code 0 when clean, 1 when issues were found, 4 when the folder does not exist."],
  examples: ["memoryoss lane audit --json", "memoryoss lane audit --memory-root ~/notes/memory"],
  async run(p) {
    const r = await lane.auditRoot(await memRoot(p));
    out(p, r, () => lane.formatAuditText(r));
    return r.total_issues > 0 ? 1 : 0;
  },
};

export const fix: Sub = {
  summary: "mechanical repairs of MEMORY.md, with a git snapshot first",
  usage: "fix [--memory-root DIR] [--dry-run] [--json]",
  options: { ...ROOT, "dry-run": flag("show what would change; write nothing"), ...JSON_ },
  notes: [
    "Adds missing index lines, drops dangling ones, regroups MEMORY.md by type within 200 lines",
    "and creates it when missing. Undo with 'lane restore <pre_sha>'.",
    "Refuses (exit 4) while another process holds a file of the folder open.",
  ],
  examples: ["memoryoss lane fix --dry-run", "memoryoss lane fix --json"],
  async run(p) {
    const dir = await memRoot(p);
    const dryRun = p.values["dry-run"] === true;
    if (!dryRun) await lane.refuseWhenOpen(dir);
    const r = await lane.runFix(dir, { dryRun });
    out(p, r, () => {
      if (r.actions.length === 0) return `${r.root}: nothing to fix`;
      const lines = r.actions.map((a) => `${r.dry_run ? "would " : ""}${a}`);
      if (r.pre_sha) lines.push(`undo: ${undoCommand(p, r.pre_sha)}`);
      return lines.join("\n");
    });
    return 0;
  },
};

/** The exact command that undoes a fix, with the --memory-root it was given. */
function undoCommand(p: Parsed, sha: string): string {
  const given = strValue(p.values["memory-root"]);
  const where = given === undefined ? "" : ` --memory-root ${shellWord(given)}`;
  return `memoryoss lane restore ${sha.slice(0, 12)}${where}`;
}

export const gitLog: Sub = {
  summary: "snapshots of the memory folder, newest first",
  usage: "git-log [--memory-root DIR] [-n 20] [--json]",
  cmmd: "cmmd git-log",
  options: { ...ROOT, ...COUNT, ...JSON_ },
  examples: ["memoryoss lane git-log -n 5"],
  async run(p) {
    const log = await lane.gitLog(await memRoot(p), intValue(p.values.n, "n", 1) ?? 20);
    const line = (e: lane.LogEntry) =>
      `${e.sha.slice(0, 12)} ${new Date(e.time_unix * 1000).toISOString()} ${e.subject}`;
    out(p, log, () => log.length ? log.map(line).join("\n") : "no snapshots yet");
    return 0;
  },
};

export const diff: Sub = {
  summary: "changes since a snapshot",
  usage: "diff <sha> [--memory-root DIR]",
  cmmd: "cmmd diff <sha>",
  options: { ...ROOT },
  positionals: 1,
  examples: ["memoryoss lane diff 3f2a9c1b7d4e"],
  async run(p) {
    const sha = need(p, "a snapshot sha (see 'lane git-log')");
    const text = await lane.diffSince(await memRoot(p), sha);
    if (text) console.log(text.trimEnd());
    return 0;
  },
};

export const restore: Sub = {
  summary: "undo: put the memory folder back as it was at a snapshot",
  usage: "restore <sha> [--memory-root DIR] [--json]",
  cmmd: "cmmd restore <sha>",
  options: { ...ROOT, ...JSON_ },
  positionals: 1,
  notes: ["The current state is snapshotted first, so a restore can itself be undone."],
  examples: ["memoryoss lane restore 3f2a9c1b7d4e"],
  async run(p) {
    const sha = need(p, "a snapshot sha (see 'lane git-log')");
    const r = await lane.restoreSnapshot(await memRoot(p), sha);
    out(
      p,
      r,
      () => `restored ${r.restored.slice(0, 12)} (previous state kept as ${r.before.slice(0, 12)})`,
    );
    return 0;
  },
};
