/** `lane tend|ctl|history|logs|tick-log`: the tick loop, talking to it, and what it left. */
import { MemoryossError } from "../../lib/errors/mod.ts";
import * as lane from "../../lib/lane/mod.ts";
import { VERSION } from "../../lib/version.ts";
import { intValue, type Parsed, strValue } from "../_args.ts";
import {
  action,
  COUNT,
  flag,
  invalid,
  JSON_,
  need,
  out,
  ROOT,
  settings,
  SOCKET,
  STATE,
  str,
  type Sub,
} from "./_shared.ts";

/** The flags of `tend` that stand for settings, as the settings' raw strings. */
function tendFlags(p: Parsed): Partial<Record<lane.SettingKey, string>> {
  const f: Partial<Record<lane.SettingKey, string>> = {};
  const int = (opt: string, key: lane.SettingKey, min: number) => {
    const v = intValue(p.values[opt], opt, min);
    if (v !== undefined) f[key] = String(v);
  };
  int("interval", "TICK_INTERVAL_SEC", 1);
  int("min-idle", "MIN_IDLE_SEC", 0);
  int("max-tick", "MAX_TICK_SECONDS", 1);
  int("max-turns", "MAX_TURNS", 1);
  const model = strValue(p.values.model);
  if (model) f.MODEL = model;
  if (p.values["no-dry-run"]) f.DRY_RUN = "false";
  if (p.values["no-metrics"]) f.METRICS_BIND = "";
  return f;
}

/** METRICS_BIND with --metrics-host / --metrics-port laid over it; null: no listener. */
function metricsOf(p: Parsed, bind: string): { host: string; port: number } | null {
  if (p.values["no-metrics"]) return null;
  const port = intValue(p.values["metrics-port"], "metrics-port");
  if (port !== undefined && port > 65535) throw invalid("--metrics-port must be 0..65535");
  const host = strValue(p.values["metrics-host"]);
  const base = lane.parseBind(bind);
  if (!base && port === undefined && host === undefined) return null;
  return { host: host ?? base?.host ?? "127.0.0.1", port: port ?? base?.port ?? 9601 };
}

export const tend: Sub = {
  summary: "the tick loop: guards, audit, snapshot, fixes, agent; metrics and control socket",
  usage:
    "tend [--once] [--memory-root DIR]... [--interval 900] [--no-dry-run] [--agent claude|none|PATH]",
  cmmd: "cmmd run [--once]",
  options: {
    ...ROOT,
    "memory-root": {
      ...ROOT["memory-root"],
      multiple: true,
      description: "memory folder; repeat for more roots, first is primary ($MEMORY_ROOT(S))",
    },
    once: flag("run one pass and exit"),
    interval: str("seconds between passes ($TICK_INTERVAL_SEC, default 900)", "SEC"),
    "min-idle": str("skip a root changed less than this ago ($MIN_IDLE_SEC, 300)", "SEC"),
    "max-tick": str("hard time limit of an agent run ($MAX_TICK_SECONDS, 600)", "SEC"),
    agent: str("claude (default: $CLAUDE_BIN), none, or a program (prompt on stdin)", "CMD"),
    "agent-arg": str("argument for a custom agent program", "ARG", { multiple: true }),
    model: str("model for the claude agent ($MODEL)", "M"),
    "max-turns": str("max turns for the claude agent ($MAX_TURNS, 12)"),
    "metrics-host": str("metrics listen address (default from $METRICS_BIND)", "ADDR"),
    "metrics-port": str("metrics port (default from $METRICS_BIND; 0 = any free port)"),
    "no-metrics": flag("do not serve metrics (or METRICS_BIND=)"),
    ...SOCKET,
    "no-dry-run": flag("start live (DRY_RUN=false) when 'lane ctl dry-run' never set it"),
    ...STATE,
  },
  notes: [
    "Dry run (the default) never writes: no snapshot, no fixes, a read-only agent.",
    "Settings come from flags, the environment, ./.env, <state-dir>/lane.toml, then defaults",
    "(see 'lane doctor'). Stops cleanly on SIGTERM or Ctrl-C.",
  ],
  examples: [
    "memoryoss lane tend --once --agent none",
    "DRY_RUN=false TICK_INTERVAL_SEC=600 memoryoss lane tend",
  ],
  async run(p) {
    const s = await settings(p, tendFlags(p));
    const v = s.values;
    const agentOpt = strValue(p.values.agent) ?? "claude";
    const extra = (p.values["agent-arg"] as string[] | undefined) ?? [];
    const agent: lane.AgentConfig | null = agentOpt === "none"
      ? null
      : agentOpt === "claude"
      ? { kind: "claude", bin: v.CLAUDE_BIN, model: v.MODEL, maxTurns: v.MAX_TURNS }
      : { kind: "command", argv: [agentOpt, ...extra] };
    const h = await lane.startTend({
      roots: [v.MEMORY_ROOT, ...v.MEMORY_ROOTS],
      stateDir: s.stateDir,
      intervalSec: v.TICK_INTERVAL_SEC,
      minIdleSec: v.MIN_IDLE_SEC,
      maxTickSec: v.MAX_TICK_SECONDS,
      agent,
      metrics: metricsOf(p, v.METRICS_BIND),
      socketPath: v.STATUS_SOCK,
      dryRun: v.DRY_RUN,
      gitTrack: v.GIT_TRACK_MEMORY,
      files: {
        state: v.STATE_FILE,
        history: v.HISTORY_FILE,
        log: v.LOG_FILE,
        lock: v.LOCK_FILE,
        pid: v.PID_FILE,
      },
      webhookUrl: v.WEBHOOK_URL || null,
      logLevel: v.CMMD_LOG,
      accounts: () =>
        lane.accountsSnapshot({ authmuxBin: v.AUTHMUX_BIN, accountsDir: v.CLAUDE_ACCOUNTS_DIR }),
      once: p.values.once === true,
      version: VERSION,
      onLog: (line) => console.error(line),
    });
    for (const w of s.warnings) console.error(`lane tend: warning: ${w}`);
    console.error(`lane tend: metrics ${h.metricsUrl ?? "off"}, control ${h.socketPath}`);
    const stop = () => void h.stop();
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    for (const sig of signals) Deno.addSignalListener(sig, stop);
    await h.finished;
    for (const sig of signals) Deno.removeSignalListener(sig, stop);
    return 0;
  },
};

const CTL_ACTIONS = ["status", "ping", "tick", "dry-run", "last-tick", "memory", "logs"] as const;

export const ctl: Sub = {
  summary: "talk to a running 'lane tend'",
  usage: "ctl status|ping|tick [--wait]|dry-run on|off|last-tick|memory|logs [-n 50]",
  cmmd: "mmctl status|ping|tick [--wait]|dry-run on|off|last-tick|memory|logs",
  options: { wait: flag("tick: wait for the pass to finish"), ...COUNT, ...SOCKET, ...STATE },
  positionals: 2,
  examples: [
    "memoryoss lane ctl status",
    "memoryoss lane ctl tick --wait",
    "memoryoss lane ctl dry-run off",
  ],
  async run(p) {
    const verb = action(p, "ctl", CTL_ACTIONS);
    if (verb === "logs") return await logs.run({ ...p, positionals: [] });
    const v = p.positionals[1];
    if (verb === "dry-run" && v !== "on" && v !== "off") {
      throw invalid("usage: lane ctl dry-run on|off");
    }
    const req = verb === "dry-run"
      ? `dry-run-${v}`
      : verb === "tick" && p.values.wait
      ? "tick-wait"
      : verb;
    const sock = (await settings(p)).values.STATUS_SOCK;
    const reply = await lane.sendControl(sock, req, p.values.wait ? 3_600_000 : 10_000);
    console.log(reply.trimEnd());
    return 0;
  },
};

export const history: Sub = {
  summary: "recent ticks of 'lane tend', newest first",
  usage: "history [-n 20] [--json]",
  cmmd: "cmmd history [-n 20] [--json]",
  options: { ...COUNT, ...STATE, ...JSON_ },
  examples: ["memoryoss lane history -n 5", "memoryoss lane history --json"],
  async run(p) {
    const path = (await settings(p)).values.HISTORY_FILE;
    const rs = await lane.tailHistory(path, intValue(p.values.n, "n", 1) ?? 20);
    out(
      p,
      rs,
      () => rs.length ? rs.map(lane.formatHistoryLine).join("\n") : "no ticks recorded yet",
    );
    return 0;
  },
};

export const logs: Sub = {
  summary: "the last lines of the tend log; --follow keeps printing new ones",
  usage: "logs [-n 50] [--follow] [--json]",
  cmmd: "mmctl logs",
  options: {
    n: str("how many lines (default 50)", "N", { short: "n" }),
    follow: flag("keep printing lines as they are appended, until Ctrl-C"),
    ...STATE,
    json: flag("print JSON (with --follow: one JSON string per line)"),
  },
  notes: ["The log is $LOG_FILE (default <state-dir>/tend.log)."],
  examples: ["memoryoss lane logs -n 50", "memoryoss lane logs --follow"],
  async run(p) {
    const path = (await settings(p)).values.LOG_FILE;
    const lines = await lane.tailLines(path, intValue(p.values.n, "n", 1) ?? 50);
    const follow = p.values.follow === true;
    const json = p.values.json === true;
    if (json && !follow) console.log(JSON.stringify(lines, null, 2));
    else for (const l of lines) console.log(json ? JSON.stringify(l) : l);
    if (!follow) return 0;
    const size = await Deno.stat(path).then((s) => s.size, () => 0);
    const stop = new AbortController();
    const end = () => stop.abort();
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    for (const sig of signals) Deno.addSignalListener(sig, end);
    try {
      await lane.followFile(
        path,
        size,
        (l) => console.log(json ? JSON.stringify(l) : l),
        stop.signal,
      );
    } finally {
      for (const sig of signals) Deno.removeSignalListener(sig, end);
    }
    return 0;
  },
};

export const tickLog: Sub = {
  summary: "the full agent transcript of one tick (id or a unique prefix, see 'lane history')",
  usage: "tick-log <id> [--json]",
  cmmd: "mmctl tick-log <id>",
  options: { ...STATE, ...JSON_ },
  positionals: 1,
  notes: [
    "Exit 4 when no tick has that id, or when that tick ran no agent (the reason is named).",
  ],
  examples: ["memoryoss lane tick-log 6553f100754d4c0", "memoryoss lane tick-log 6553f1 --json"],
  async run(p) {
    const id = need(p, "a tick id (see 'lane history')");
    const r = await lane.findTick((await settings(p)).values.HISTORY_FILE, id);
    const missing = (why: string) => new MemoryossError("NOT_FOUND", `tick ${r.tick_id} ${why}`);
    if (!r.transcript) {
      throw missing(
        `has no transcript: the agent did not run (${r.reason_skipped ?? "no reason"})`,
      );
    }
    const path = r.transcript;
    const text = await Deno.readTextFile(path).catch(lane.unlessDenied(null, `read ${path}`));
    if (text === null) throw missing(`ran, but its transcript ${path} is gone`);
    const body = text.replace(/\n$/, "");
    out(p, { record: r, transcript: body ? body.split("\n") : [] }, () => body);
    return 0;
  },
};
