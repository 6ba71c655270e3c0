/** CLI: lane — tend Claude Code's file memory (audit, fix, undo, tick loop, janitor, plugins). */
import { join } from "node:path";
import { MemoryossError } from "../lib/errors/mod.ts";
import * as lane from "../lib/lane/mod.ts";
import { VERSION } from "../lib/version.ts";
import { type CommandSpec, intValue, parseCommand, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

/** One `lane` subcommand: its help, how many positionals it takes, and what it does. */
interface Sub {
  summary: string;
  usage: string;
  options: CommandSpec["options"];
  notes?: string[];
  positionals?: number;
  run(p: Parsed): Promise<number>;
}

type Opt = CommandSpec["options"][string];
const env = (k: string) => Deno.env.get(k);
const str = (description: string, value = "N", more: Partial<Opt> = {}): Opt => ({
  type: "string",
  value,
  description,
  ...more,
});
const flag = (description: string): Opt => ({ type: "boolean", description });
const ROOT = {
  "memory-root": str("memory folder (default ~/.claude/projects/<slug of cwd>/memory)", "DIR"),
};
const STATE = { "state-dir": str("lane state folder (default $MEMORYOSS_HOME/lane)", "DIR") };
const JSON_ = { json: flag("print JSON") };
const COUNT = { n: str("how many (default 20)", "N", { short: "n" }) };

const invalid = (msg: string) => new MemoryossError("INVALID_INPUT", msg);
const roots = (p: Parsed): string[] => {
  const v = p.values["memory-root"];
  const list = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  return list.length ? [...new Set(list)] : [lane.defaultMemoryRoot(env, Deno.cwd())];
};
const root = (p: Parsed) => roots(p)[0];
/** The memory root, which must exist (exit 4 naming it otherwise). */
const memRoot = (p: Parsed) => lane.requireMemoryRoot(root(p));
/** `s` as one shell word (quoted only when it needs to be). */
const shellWord = (s: string) => /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
const stateDir = (p: Parsed) => strValue(p.values["state-dir"]) ?? lane.laneStateDir(env);
const socketOf = (p: Parsed) => strValue(p.values.socket) ?? lane.defaultControlPath(stateDir(p));
const out = (p: Parsed, value: unknown, text: () => string) => {
  if (p.values.json) printJson(value);
  else console.log(text());
};
function num(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n < 0) {
    throw invalid(`--${name} takes a number ≥ 0, got '${v}'`);
  }
  return n;
}

const audit: Sub = {
  summary: "deterministic audit of a memory folder (no LLM)",
  usage: "audit [--memory-root DIR] [--json]",
  options: { ...ROOT, ...JSON_ },
  notes: ["Exit code 0 when clean, 1 when issues were found, 4 when the folder does not exist."],
  async run(p) {
    const r = await lane.auditRoot(await memRoot(p));
    out(p, r, () => lane.formatAuditText(r));
    return r.total_issues > 0 ? 1 : 0;
  },
};

const fix: Sub = {
  summary: "mechanical repairs of MEMORY.md, with a git snapshot first",
  usage: "fix [--memory-root DIR] [--dry-run] [--json]",
  options: { ...ROOT, "dry-run": flag("show what would change; write nothing"), ...JSON_ },
  notes: [
    "Adds missing index lines, drops dangling ones, regroups MEMORY.md by type within 200 lines",
    "and creates it when missing. Undo with 'lane restore <pre_sha>'.",
    "Refuses (exit 4) while another process holds a file of the folder open.",
  ],
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

const history: Sub = {
  summary: "recent ticks of 'lane tend', newest first",
  usage: "history [-n 20] [--json]",
  options: { ...COUNT, ...STATE, ...JSON_ },
  async run(p) {
    const path = join(stateDir(p), lane.STATE_FILES.history);
    const rs = await lane.tailHistory(path, intValue(p.values.n, "n", 1) ?? 20);
    out(
      p,
      rs,
      () => rs.length ? rs.map(lane.formatHistoryLine).join("\n") : "no ticks recorded yet",
    );
    return 0;
  },
};

const gitLog: Sub = {
  summary: "snapshots of the memory folder, newest first",
  usage: "git-log [--memory-root DIR] [-n 20] [--json]",
  options: { ...ROOT, ...COUNT, ...JSON_ },
  async run(p) {
    const log = await lane.gitLog(await memRoot(p), intValue(p.values.n, "n", 1) ?? 20);
    out(
      p,
      log,
      () =>
        log.length
          ? log.map((e) =>
            `${e.sha.slice(0, 12)} ${new Date(e.time_unix * 1000).toISOString()} ${e.subject}`
          ).join("\n")
          : "no snapshots yet",
    );
    return 0;
  },
};

const diff: Sub = {
  summary: "changes since a snapshot",
  usage: "diff <sha> [--memory-root DIR]",
  options: { ...ROOT },
  positionals: 1,
  async run(p) {
    const sha = need(p, "a snapshot sha (see 'lane git-log')");
    const text = await lane.diffSince(await memRoot(p), sha);
    if (text) console.log(text.trimEnd());
    return 0;
  },
};

const restore: Sub = {
  summary: "undo: put the memory folder back as it was at a snapshot",
  usage: "restore <sha> [--memory-root DIR] [--json]",
  options: { ...ROOT, ...JSON_ },
  positionals: 1,
  notes: ["The current state is snapshotted first, so a restore can itself be undone."],
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

function need(p: Parsed, what: string): string {
  if (!p.positionals[0]) throw invalid(`this command needs ${what}`);
  return p.positionals[0];
}

const tend: Sub = {
  summary: "the tick loop: guards, audit, snapshot, fixes, agent; metrics and control socket",
  usage:
    "tend [--once] [--memory-root DIR]... [--interval 900] [--no-dry-run] [--agent claude|none|PATH]",
  options: {
    ...ROOT,
    "memory-root": {
      ...ROOT["memory-root"],
      multiple: true,
      description: "memory folder; repeat for more roots (first is primary)",
    },
    once: flag("run one pass and exit"),
    interval: str("seconds between passes (default 900)", "SEC"),
    "min-idle": str("skip a root changed less than this ago (default 300)", "SEC"),
    "max-tick": str("hard time limit of an agent run (default 600)", "SEC"),
    agent: str("claude (default), none, or a program (prompt on stdin)", "CMD"),
    "agent-arg": str("argument for a custom agent program", "ARG", { multiple: true }),
    model: str("model for the claude agent", "M"),
    "max-turns": str("max turns for the claude agent (default 12)"),
    "metrics-host": str("metrics listen address (default 127.0.0.1)", "ADDR"),
    "metrics-port": str("metrics port (default 9601; 0 = any free port)"),
    "no-metrics": flag("do not serve metrics"),
    socket: str("control socket (default <state-dir>/ctl.sock; a .json path: TCP)", "PATH"),
    "no-dry-run": flag("start live when 'lane ctl dry-run' never set it"),
    ...STATE,
  },
  notes: [
    "Dry run (the default) never writes: no snapshot, no fixes, a read-only agent.",
    "Stops cleanly on SIGTERM or Ctrl-C.",
  ],
  async run(p) {
    const agentOpt = strValue(p.values.agent) ?? "claude";
    const extra = (p.values["agent-arg"] as string[] | undefined) ?? [];
    const agent: lane.AgentConfig | null = agentOpt === "none" ? null : agentOpt === "claude"
      ? {
        kind: "claude",
        bin: "claude",
        model: strValue(p.values.model) ?? null,
        maxTurns: intValue(p.values["max-turns"], "max-turns", 1) ?? 12,
      }
      : { kind: "command", argv: [agentOpt, ...extra] };
    const port = intValue(p.values["metrics-port"], "metrics-port") ?? 9601;
    if (port > 65535) throw invalid("--metrics-port must be 0..65535");
    const h = await lane.startTend({
      roots: roots(p),
      stateDir: stateDir(p),
      intervalSec: Math.max(1, num(p.values.interval, "interval", 900)),
      minIdleSec: num(p.values["min-idle"], "min-idle", 300),
      maxTickSec: num(p.values["max-tick"], "max-tick", 600),
      agent,
      metrics: p.values["no-metrics"]
        ? null
        : { host: strValue(p.values["metrics-host"]) ?? "127.0.0.1", port },
      socketPath: socketOf(p),
      dryRun: p.values["no-dry-run"] !== true,
      once: p.values.once === true,
      version: VERSION,
      onLog: (line) => console.error(line),
    });
    console.error(`lane tend: metrics ${h.metricsUrl ?? "off"}, control ${h.socketPath}`);
    const stop = () => void h.stop();
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, stop);
    await h.finished;
    for (const s of signals) Deno.removeSignalListener(s, stop);
    return 0;
  },
};

const CTL_ACTIONS = new Set(["status", "ping", "tick", "dry-run", "last-tick", "memory"]);

const ctl: Sub = {
  summary: "talk to a running 'lane tend'",
  usage: "ctl status|ping|tick [--wait]|dry-run on|off|last-tick|memory|logs [-n 50]",
  options: {
    wait: flag("tick: wait for the pass to finish"),
    ...COUNT,
    socket: tend.options.socket,
    ...STATE,
  },
  positionals: 2,
  async run(p) {
    const action = need(p, "an action: status, ping, tick, dry-run, last-tick, memory or logs");
    if (action === "logs") {
      const path = join(stateDir(p), lane.STATE_FILES.log);
      const text = await Deno.readTextFile(path).catch(lane.unlessDenied("", `read ${path}`));
      const lines = text.split("\n").filter(Boolean);
      console.log(lines.slice(-(intValue(p.values.n, "n", 1) ?? 50)).join("\n"));
      return 0;
    }
    if (!CTL_ACTIONS.has(action)) throw invalid(`unknown ctl action '${action}'`);
    const v = p.positionals[1];
    if (action === "dry-run" && v !== "on" && v !== "off") {
      throw invalid("usage: lane ctl dry-run on|off");
    }
    const req = action === "dry-run"
      ? `dry-run-${v}`
      : action === "tick" && p.values.wait
      ? "tick-wait"
      : action;
    const reply = await lane.sendControl(socketOf(p), req, p.values.wait ? 3_600_000 : 10_000);
    console.log(reply.trimEnd());
    return 0;
  },
};

const janitor: Sub = {
  summary: "find and stop stale agent CLIs (claude, codex, kiro) — dry run by default",
  usage: "janitor list|apply [--min-age-hours 6] [--max 5] [--no-dry-run] [--json]",
  options: {
    "min-age-hours": str("only processes at least this old (default 6)", "H"),
    "max-cpu-pct": str("only processes using at most this CPU (default 0.5)", "PCT"),
    "allow-tty": flag("also processes attached to a terminal"),
    max: str("apply: stop at most N (default 5; never more than 20)"),
    "no-dry-run": flag("apply: really send signals"),
    pid: str("only this pid (repeatable)", "PID", { multiple: true }),
    ...JSON_,
  },
  positionals: 1,
  notes: [
    `Only these names are ever touched: ${lane.JANITOR_ALLOWLIST.join(", ")}; same user only,`,
    "never this process, its parents or children. A stop is SIGTERM, then SIGKILL after 10 s.",
  ],
  async run(p) {
    const action = need(p, "list or apply");
    if (action !== "list" && action !== "apply") {
      throw invalid(`unknown janitor action '${action}'`);
    }
    const pids = ((p.values.pid as string[] | undefined) ?? []).map((v) => intValue(v, "pid", 2)!);
    const filter: lane.JanitorFilter = {
      minAgeSec: num(p.values["min-age-hours"], "min-age-hours", 6) * 3600,
      maxCpuPct: num(p.values["max-cpu-pct"], "max-cpu-pct", 0.5),
      requireNoTty: p.values["allow-tty"] !== true,
      max: action === "list" ? lane.MAX_KILLS_PER_RUN : intValue(p.values.max, "max", 0) ?? 5,
      ...(pids.length ? { onlyPids: pids } : {}),
    };
    const dryRun = p.values["no-dry-run"] !== true;
    const r = await lane.runJanitor(action, filter, { dryRun });
    out(p, r, () => Array.isArray(r) ? lane.formatProcesses(r) : lane.formatJanitorReport(r));
    return 0;
  },
};

const plugins: Sub = {
  summary: "skill folders (SKILL.md): list, install PATH, enable|disable|remove NAME",
  usage: "plugins list|install PATH|enable NAME|disable NAME|remove NAME [--json]",
  options: {
    force: flag("install: replace an installed plugin of that name"),
    "skills-dir": str("skills folder (default ~/.claude/skills)", "DIR"),
    ...JSON_,
  },
  positionals: 2,
  async run(p) {
    const custom = strValue(p.values["skills-dir"]);
    const dirs = custom
      ? { enabled: custom, disabled: `${custom.replace(/\/+$/, "")}-disabled` }
      : lane.skillDirs(env);
    const action = need(p, "list, install, enable, disable or remove");
    const arg = () =>
      p.positionals[1] ?? (() => {
        throw invalid(`plugins ${action} needs an argument`);
      })();
    if (action === "list") {
      const list = await lane.listPlugins(dirs);
      out(p, list, () => lane.formatPlugins(list));
      return 0;
    }
    const result = action === "install"
      ? await lane.installPlugin(dirs, arg(), p.values.force === true)
      : action === "enable" || action === "disable"
      ? await lane.setPluginEnabled(dirs, arg(), action === "enable")
      : action === "remove"
      ? { removed: await lane.removePlugin(dirs, arg()) }
      : null;
    if (!result) throw invalid(`unknown plugins action '${action}'`);
    out(
      p,
      result,
      () =>
        "removed" in result
          ? `removed ${result.removed}`
          : `${result.name}: ${result.enabled ? "enabled" : "disabled"} (${result.path})`,
    );
    return 0;
  },
};

const SUBCOMMANDS: Record<string, Sub> = {
  audit,
  fix,
  history,
  "git-log": gitLog,
  diff,
  restore,
  tend,
  ctl,
  janitor,
  plugins,
};

const HELP = "memoryoss lane — tend Claude Code's file memory (~/.claude/projects/<slug>/memory)" +
  "\n\nUsage:\n  memoryoss lane SUBCOMMAND [options]\n\nSubcommands:\n";
const laneHelp = () =>
  HELP + Object.entries(SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(9)}${s.summary}\n`).join("") +
  "\nOptions:\n  -h, --help  show this help (also after any subcommand)\n" +
  "\nRun 'memoryoss lane SUBCOMMAND --help' for its options.";

/** Entry point for `memoryoss lane …`. */
export async function main(args: string[], _g: Globals): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    console.log(laneHelp());
    return 0;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    throw invalid(
      `unknown lane subcommand '${name}' (one of: ${Object.keys(SUBCOMMANDS).join(", ")})`,
    );
  }
  const spec: CommandSpec = {
    name: `lane ${name}`,
    summary: sub.summary,
    usage: [`lane ${sub.usage}`],
    options: sub.options,
    notes: sub.notes,
  };
  const p = parseCommand(spec, rest);
  if (!p) return 0;
  if (p.positionals.length > (sub.positionals ?? 0)) {
    throw invalid(`lane ${name}: unexpected argument '${p.positionals[sub.positionals ?? 0]}'`);
  }
  return await sub.run(p);
}
