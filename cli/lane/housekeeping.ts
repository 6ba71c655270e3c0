/**
 * `lane vacuum|orphan-node|tmux-janitor|pressure|last-tick-summary`: cmmd's retention and
 * cleanup verbs, with cmmd's flags and output; each destructive one also has --dry-run.
 */
import { join } from "node:path";
import { intValue } from "../_args.ts";
import * as lane from "../../lib/lane/mod.ts";
import { action, flag, invalid, JSON_, out, settings, STATE, str, type Sub } from "./_shared.ts";

export const vacuum: Sub = {
  summary: "drop old tick transcripts and trim the tick history (retention)",
  usage: "vacuum [--keep-days 14] [--keep-history 10000] [--dry-run] [--json]",
  cmmd: "cmmd vacuum [--keep-days 14] [--keep-history 10000] [--dry-run]",
  options: {
    "keep-days": str("keep transcripts this many days (default 14)", "D"),
    "keep-history": str("keep at most this many history lines (default 10000)"),
    "dry-run": flag("count only; delete and truncate nothing"),
    ...STATE,
    ...JSON_,
  },
  notes: ["Transcripts live in <state-dir>/transcripts; the history is $HISTORY_FILE."],
  examples: ["memoryoss lane vacuum --dry-run", "memoryoss lane vacuum --keep-days 7 --json"],
  async run(p) {
    const s = await settings(p);
    const r = await lane.vacuum({
      transcriptDir: join(s.stateDir, "transcripts"),
      historyFile: s.values.HISTORY_FILE,
      keepDays: intValue(p.values["keep-days"], "keep-days", 0) ?? 14,
      keepHistory: intValue(p.values["keep-history"], "keep-history", 0) ?? 10_000,
      dryRun: p.values["dry-run"] === true,
    });
    out(p, r, () => lane.formatVacuum(r));
    return 0;
  },
};

export const lastTickSummary: Sub = {
  summary: "the newest tick and its agent's 'files=… issues=… applied=…' line",
  usage: "last-tick-summary [--json]",
  cmmd: "cmmd last-tick-summary",
  options: { ...STATE, ...JSON_ },
  examples: ["memoryoss lane last-tick-summary"],
  async run(p) {
    const r = await lane.lastTickSummary((await settings(p)).values.HISTORY_FILE);
    out(p, r, () => lane.formatLastTickSummary(r));
    return 0;
  },
};

const pidsOf = (v: unknown) =>
  ((v as string[] | undefined) ?? []).map((x) => intValue(x, "pid", 2)!);

export const orphanNode: Sub = {
  summary: "Node helpers of dead MCP clients (ppid 1): list, or reap with SIGTERM",
  usage: "orphan-node list|reap [--dry-run] [--pid PID]... [--json]",
  cmmd: "cmmd orphan-node list|reap [--json]",
  options: {
    "dry-run": flag("reap: name them, signal nothing"),
    pid: str("only this pid (repeatable)", "PID", { multiple: true }),
    ...JSON_,
  },
  positionals: 1,
  notes: [
    `Command lines containing ${lane.ORPHAN_PATTERNS.join(", ")}, owned by you, whose`,
    "parent died (reparented to pid 1). Linux only.",
  ],
  examples: ["memoryoss lane orphan-node list --json", "memoryoss lane orphan-node reap"],
  run(p) {
    const verb = action(p, "orphan-node", ["list", "reap"] as const);
    const onlyPids = pidsOf(p.values.pid);
    const narrow = onlyPids.length ? { onlyPids } : {};
    if (verb === "list") {
      const list = lane.findOrphans(narrow);
      out(p, list, () => lane.formatOrphans(list));
    } else {
      const r = lane.reapOrphans({ ...narrow, dryRun: p.values["dry-run"] === true });
      out(p, r, () => lane.formatReap(r));
    }
    return Promise.resolve(0);
  },
};

export const tmuxJanitor: Sub = {
  summary: "kill unattached tmux sessions named term-* (shells nobody closed)",
  usage: "tmux-janitor [cleanup] [--dry-run] [--json]",
  cmmd: "cmmd tmux-janitor cleanup [--json]",
  options: { "dry-run": flag("name them, kill nothing"), ...JSON_ },
  positionals: 1,
  notes: ["The default tmux server ($TMUX_TMPDIR picks its folder); no tmux: nothing scanned."],
  examples: ["memoryoss lane tmux-janitor cleanup --dry-run", "memoryoss lane tmux-janitor --json"],
  async run(p) {
    if (p.positionals[0] !== undefined && p.positionals[0] !== "cleanup") {
      throw invalid("usage: lane tmux-janitor [cleanup]");
    }
    const r = await lane.tmuxCleanup({ dryRun: p.values["dry-run"] === true });
    out(p, r, () => lane.formatTmuxCleanup(r));
    return 0;
  },
};

export const pressure: Sub = {
  summary: "RAM in use; --respond: prune docker, drop caches, swap settings at ≥80%/90%",
  usage: "pressure [--respond] [--dry-run] [--json]",
  cmmd: "cmmd pressure [--respond] [--json]",
  options: {
    respond: flag("act when RAM use is at least 80% (default: report only)"),
    "dry-run": flag("with --respond: name the actions, take none"),
    ...JSON_,
  },
  notes: [
    "≥80%: docker container prune -f and vm.swappiness=60, vm.page-cluster=0; ≥90%: also",
    "sync and drop_caches=1. Writes that fail are retried with 'sudo -n' (never prompts).",
  ],
  examples: ["memoryoss lane pressure --json", "memoryoss lane pressure --respond --dry-run"],
  async run(p) {
    if (p.values["dry-run"] && !p.values.respond) {
      throw invalid("--dry-run only applies with --respond");
    }
    const r = await lane.checkPressure({
      respond: p.values.respond === true,
      dryRun: p.values["dry-run"] === true,
    });
    out(p, r, () => lane.formatPressure(r));
    return 0;
  },
};
