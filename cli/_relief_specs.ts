/**
 * The `relief` commands' flags and help text (kept apart so cli/relief.ts reads in one go).
 * Option names follow Memoria's spelling where it has one (`--snap`, `--tier=`,
 * `--exclude-foreground` / `--no-exclude-foreground`, `--whitelist`, `--no-history`).
 */
import type { CommandSpec } from "./_args.ts";

export const OUTPUT = {
  json: { type: "boolean", description: "print the schema 1.0 JSON report" },
  compact: { type: "boolean", description: "JSON on one line (implies --json)" },
  quiet: { type: "boolean", description: "no human-readable output (exit code only)" },
} as const;
export const SETTINGS = {
  whitelist: {
    type: "string",
    multiple: true,
    value: "A,B",
    description: "image names never trimmed (e.g. game.exe,obs64); saved; '' clears",
  },
  "exclude-foreground": {
    type: "boolean",
    description: "spare the foreground app and its process tree (default; saved)",
  },
  "no-exclude-foreground": {
    type: "boolean",
    description: "also trim the foreground app and its process tree (saved)",
  },
} as const;
export const GUARD = {
  ...SETTINGS,
  "min-ws-mb": {
    type: "string",
    value: "N",
    description: "skip processes below N MB (default 50)",
  },
  "no-history": { type: "boolean", description: "write nothing under the home (history, state)" },
} as const;
export const TIER_OPT = {
  type: "string",
  value: "TIER",
  description: "safe (default, no admin) | standard | aggressive (admin)",
} as const;

export const reliefSpec: CommandSpec = {
  name: "relief",
  summary: "snapshot memory and clean it up in tiers (Memoria-style)",
  usage: [
    "relief [--snap] [--tier safe|standard|aggressive] [--json] [--compact] [--quiet]",
    "relief auto --threshold 90 [--interval 30m]",
    "relief schedule install|remove|show [--every 30m] [--print]",
    "relief history [-n 20] [--json]",
    "relief state [--[no-]exclude-foreground] [--whitelist A,B] [--json]",
  ],
  options: {
    snap: { type: "boolean", description: "only print one memory snapshot" },
    tier: TIER_OPT,
    ...OUTPUT,
    ...GUARD,
    "dry-run": { type: "boolean", description: "plan and list targets, change nothing" },
    pid: { type: "string", multiple: true, value: "PID", description: "trim only these PIDs" },
    settle: { type: "string", value: "DUR", description: "wait (e.g. 15s) and report the rebound" },
    "reclaim-mb": { type: "string", value: "N", description: "Linux memory.reclaim request (512)" },
  },
  notes: [
    "Exit codes: 0 ok, 1 partial (a stage errored or an admin tier was downgraded), 2 failure,\n" +
    "3 invalid arguments. Trimming moves memory (to standby, swap or disk); the report shows\n" +
    "available, free, standby and modified separately so nothing moved is called freed.\n" +
    'JSON is Memoria\'s schema 1.0 (exit_status "ok"|"partial"|"failure"), plus our fields.\n' +
    "--whitelist and --[no-]exclude-foreground are saved in state.json by runs that record\n" +
    "history and apply to later runs; 'relief state' shows and sets them without a run.",
  ],
  examples: [
    "memoryoss relief --snap --compact",
    "memoryoss relief --tier=safe --json --no-history --compact --quiet",
    "memoryoss relief --tier=standard --whitelist game.exe,obs64.exe",
  ],
};

export const autoSpec: CommandSpec = {
  name: "relief auto",
  summary: "watch memory and clean when it crosses a threshold",
  usage: ["relief auto [--threshold 90] [--interval 30m] [--cooldown 30s] [--tier safe|standard]"],
  options: {
    threshold: { type: "string", value: "PCT", description: "clean at used % ≥ PCT (90; 0 = off)" },
    "min-available-mb": { type: "string", value: "N", description: "clean when available < N MB" },
    interval: { type: "string", value: "DUR", description: "also clean every DUR (e.g. 30m)" },
    poll: { type: "string", value: "DUR", description: "how often to look (5s)" },
    cooldown: { type: "string", value: "DUR", description: "least time between cleans (30s)" },
    "max-polls": { type: "string", value: "N", description: "stop after N polls" },
    tier: TIER_OPT,
    ...OUTPUT,
    ...GUARD,
  },
  notes: ["Low-yield cleans double the cooldown (up to 30m). Stops on Ctrl-C / SIGTERM."],
};

export const scheduleSpec: CommandSpec = {
  name: "relief schedule",
  summary: "run relief periodically (systemd user timer / Task Scheduler)",
  usage: ["relief schedule install|remove|show [--every 30m] [--tier safe|standard] [--print]"],
  options: {
    every: { type: "string", value: "DUR", description: "how often (default 30m; 1m–24h)" },
    tier: TIER_OPT,
    print: {
      type: "boolean",
      description: "show what would be written or removed; change nothing",
    },
    json: OUTPUT.json,
  },
  notes: [
    "relief holds no permission to run programs: it writes the unit files (Linux) or the task\n" +
    "XML (Windows) and prints the one command that activates them.",
  ],
};

export const historySpec: CommandSpec = {
  name: "relief history",
  summary: "show recent relief runs",
  usage: ["relief history [-n 20] [--json]"],
  options: {
    n: { type: "string", short: "n", value: "N", description: "how many (default 20)" },
    json: { type: "boolean", description: "print the entries as JSON" },
  },
  examples: ["memoryoss relief history -n 5", "memoryoss relief history --json"],
};

export const stateSpec: CommandSpec = {
  name: "relief state",
  summary: "show (or set) the saved relief settings, the last run and the auto pacing",
  usage: ["relief state [--exclude-foreground|--no-exclude-foreground] [--whitelist A,B] [--json]"],
  options: { ...SETTINGS, json: { type: "boolean", description: "print the state as JSON" } },
  notes: ["With a setting flag, the setting is saved in <home>/relief/state.json first."],
  examples: [
    "memoryoss relief state --json",
    "memoryoss relief state --no-exclude-foreground --whitelist game.exe,obs64.exe",
    "memoryoss relief state --whitelist ''",
  ],
};
